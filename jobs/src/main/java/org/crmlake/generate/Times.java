package org.crmlake.generate;

import java.time.LocalDate;

/** Fast, locale-free formatting of UTC epoch seconds as the contract's timestamp type. */
final class Times {

    static final long DAY = 86_400L;

    private Times() {
    }

    static long day(long epochSecond) {
        return Math.floorDiv(epochSecond, DAY);
    }

    static String timestamp(long epochSecond) {
        long day = day(epochSecond);
        int sec = (int) (epochSecond - day * DAY);
        StringBuilder sb = new StringBuilder(19).append(LocalDate.ofEpochDay(day)).append(' ');
        pad2(sb, sec / 3600).append(':');
        pad2(sb, sec / 60 % 60).append(':');
        return pad2(sb, sec % 60).toString();
    }

    static String date(long epochDay) {
        return LocalDate.ofEpochDay(epochDay).toString();
    }

    /** Two decimals without Locale or floating-point formatting surprises. */
    static String money(long cents) {
        StringBuilder sb = new StringBuilder();
        if (cents < 0) {
            sb.append('-');
            cents = -cents;
        }
        sb.append(cents / 100).append('.');
        return pad2(sb, (int) (cents % 100)).toString();
    }

    private static StringBuilder pad2(StringBuilder sb, int v) {
        return sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }
}
