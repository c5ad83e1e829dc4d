package org.crmlake.generate;

/**
 * Record ids that look like a source system's numbers but are unique by construction:
 * an affine permutation of the slot modulo 10^width (the multiplier is coprime to 10).
 * Slots are derived from the person index, so ids do not need global counters.
 */
enum Ids {
    CONTACT("C", 8, 48_271_007L),
    LEAD("L", 9, 69_621_011L),
    OPPORTUNITY("OP", 8, 16_807_043L),
    ACTIVITY("A", 10, 397_204_093L),
    TICKET("T", 10, 214_013_001L),
    CUSTOMER("K", 8, 62_089_911L),
    ORDER("SO", 10, 742_938_293L),
    INVOICE("INV", 10, 101_327_917L),
    RETURN("R", 10, 302_451_869L),
    USER("U", 8, 39_916_801L),
    COOKIE("ck", 9, 87_178_291L),
    CALL("CL", 10, 515_396_077L);

    private final String prefix;
    private final int width;
    private final long modulus;
    private final long multiplier;

    Ids(String prefix, int width, long multiplier) {
        this.prefix = prefix;
        this.width = width;
        this.modulus = (long) Math.pow(10, width);
        this.multiplier = multiplier;
    }

    String id(long slot) {
        if (slot < 0 || slot >= modulus) {
            throw new IllegalArgumentException("customers too large for " + name() + " ids; use fewer customers");
        }
        long value = Math.floorMod(slot * multiplier + 1_234_567L, modulus);
        String digits = Long.toString(value);
        return prefix + "0".repeat(width - digits.length()) + digits;
    }

    /** Event ids: 16 hex digits, a bijection of (person, counter). */
    static String event(long seed, int person, int counter) {
        long v = Seeds.mix(((long) person << 24 | counter) + Seeds.mix(seed));
        String hex = Long.toHexString(v);
        return "ev-" + "0".repeat(16 - hex.length()) + hex;
    }
}
