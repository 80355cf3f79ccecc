/**
 * True when A and B are each assignable to the other: for compile-time checks that a
 * validator (zod) and the plain type esmlab declares describe the same values, e.g.
 * `true satisfies Same<z.infer<typeof schema>, Plain>;`, which fails the build when a field is
 * added to one and not the other.
 */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
