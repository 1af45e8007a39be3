// One run of a command, measured for the bench scripts: wall time (s), peak RSS (MiB) and CPU time
// (s, user + sys), from wait4's rusage through a tiny wrapper on the real Python interpreter (not a
// version-manager shim). Without python3, wall time only. `ok` lists the exit codes that are not a
// failure (approvals list exits 1 for a queue with problems).
import { spawnSync } from "node:child_process";

export const PYTHON = spawnSync("python3", ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" }).stdout?.trim() || "";

const WRAPPER = `
import resource, subprocess, sys, time
t = time.perf_counter()
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
w = time.perf_counter() - t
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(r.returncode, w, u.ru_maxrss / 1024, u.ru_utime + u.ru_stime)
`;

export function measure(cmd, { cwd, ok = [0] } = {}) {
  if (PYTHON) {
    const out = spawnSync(PYTHON, ["-c", WRAPPER, ...cmd], { cwd, encoding: "utf8" });
    const [code, wall, rss, cpu] = out.stdout.trim().split(" ").map(Number);
    if (!ok.includes(code)) throw new Error(`${cmd.join(" ")} exited ${code}`);
    return { wall, rss, cpu };
  }
  const start = process.hrtime.bigint();
  const out = spawnSync(cmd[0], cmd.slice(1), { cwd, stdio: "ignore" });
  if (!ok.includes(out.status)) throw new Error(`${cmd.join(" ")} exited ${out.status}`);
  return { wall: Number(process.hrtime.bigint() - start) / 1e9, rss: NaN, cpu: NaN };
}
