package org.crmlake.generate;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Phone numbers as national digits and the ways people and systems write them.
 * Mainland mobiles are 11 digits (1[3-9]x); US numbers are 10 digits.
 */
final class PhoneFormats {

    private static final List<String> CN_PREFIXES = List.of("130", "131", "132", "133", "135", "136", "137", "138",
            "139", "150", "151", "152", "153", "155", "156", "157", "158", "159", "166", "170", "176", "177", "178",
            "180", "181", "182", "183", "185", "186", "187", "188", "189", "191", "198", "199");

    private PhoneFormats() {
    }

    static String cnMobile(SplittableRandom rng) {
        return NameBank.pick(rng, CN_PREFIXES) + digits(rng, 8);
    }

    static String usNumber(SplittableRandom rng, String area) {
        return area + (2 + rng.nextInt(8)) + digits(rng, 2) + digits(rng, 4);
    }

    /** A Chinese landline (city code 21 = Shanghai style), national digits without trunk 0. */
    static String cnLandline(SplittableRandom rng) {
        return "21" + (5 + rng.nextInt(4)) + digits(rng, 7);
    }

    private static String digits(SplittableRandom rng, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('0' + rng.nextInt(10)));
        }
        return sb.toString();
    }

    /** The format a clean system would store: international, unambiguous. */
    static String canonical(boolean zh, String national) {
        return zh ? cn(national, 0) : us(national, 1);
    }

    /** One of the formats people type and systems store. */
    static String variant(boolean zh, String national, SplittableRandom rng) {
        return zh ? cn(national, rng.nextInt(5)) : us(national, rng.nextInt(5));
    }

    /** Too short to be a phone number: the kind of value validation must reject. */
    static String invalid(String national, SplittableRandom rng) {
        return national.substring(0, 4 + rng.nextInt(3));
    }

    private static String cn(String n, int variant) {
        if (n.length() != 11) {
            // landline: 0 + area code + number
            return switch (variant) {
                case 0, 3 -> "+86 " + n.substring(0, 2) + " " + n.substring(2);
                case 1 -> "0" + n;
                default -> "0" + n.substring(0, 2) + "-" + n.substring(2);
            };
        }
        return switch (variant) {
            case 0 -> "+86 " + n.substring(0, 3) + " " + n.substring(3, 7) + " " + n.substring(7);
            case 1 -> n;
            case 2 -> n.substring(0, 3) + "-" + n.substring(3, 7) + "-" + n.substring(7);
            case 3 -> "0086 " + n;
            default -> "+86" + n;
        };
    }

    private static String us(String n, int variant) {
        String a = n.substring(0, 3);
        String b = n.substring(3, 6);
        String c = n.substring(6);
        return switch (variant) {
            case 0 -> "(" + a + ") " + b + "-" + c;
            case 1 -> "+1 " + a + "-" + b + "-" + c;
            case 2 -> a + "." + b + "." + c;
            case 3 -> a + " " + b + " " + c;
            default -> "1-" + a + "-" + b + "-" + c;
        };
    }
}
