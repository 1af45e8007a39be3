// Name comparison for unsigned legacy records only: signed records compare verified principals,
// whose names come from allowed_signers, so a look-alike name is simply not a principal.
// Invisible characters: format (zero-width space, joiners, bidi marks) and controls.
const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;
// Latin look-alikes from Cyrillic and Greek: "оps.maria" (Cyrillic о) must not pass four eyes.
const CONFUSABLES: Record<string, string> = {
  а: "a", в: "b", е: "e", ё: "e", к: "k", м: "m", н: "h", о: "o", р: "p", с: "c", т: "t", у: "y", х: "x",
  і: "i", ї: "i", ј: "j", ѕ: "s", ԁ: "d", ӏ: "l", ԛ: "q", ԝ: "w", ɡ: "g", ı: "i",
  α: "a", β: "b", ε: "e", η: "n", ι: "i", κ: "k", ν: "v", ο: "o", ρ: "p", τ: "t", υ: "u", χ: "x", ω: "w",
};

/** The comparable skeleton of an actor name: case, width, spacing, invisibles and look-alikes fold away. */
function actorSkeleton(name: string): string {
  return [...name.normalize("NFKC").replace(INVISIBLE, "").trim().replace(/\s+/g, " ").toLowerCase()]
    .map((ch) => CONFUSABLES[ch] ?? ch)
    .join("");
}

/** How two actor names compare for the four-eyes rule: case, width, spacing and look-alikes do not matter. */
export function sameActor(a: string, b: string): boolean {
  return actorSkeleton(a) === actorSkeleton(b);
}

