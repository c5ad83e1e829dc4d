package org.crmlake.normalize;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Standardises e-mail addresses and flags shared placeholders.
 *
 * <p>No e-mail validation library is on the classpath (Jakarta Mail and Commons Validator are
 * not dependencies), so the rules are written out here:
 * <ul>
 *   <li>NFKC (folds full-width {@code ＠} and letters), trim, lower-case;</li>
 *   <li>exactly one {@code @}; no whitespace anywhere;</li>
 *   <li>local part: non-empty, at most 64 characters, RFC 5322 "dot-atom" characters
 *       ({@code a-z 0-9 ! # $ % & ' * + / = ? ^ _ ` { | } ~ -}) in dot-separated runs, so no
 *       leading, trailing or doubled dot. Quoted local parts and non-ASCII local parts are
 *       rejected on purpose: they are vanishingly rare in CRM data and break ad-platform hashing;</li>
 *   <li>domain: at least two labels, each 1-63 of {@code a-z 0-9 -} not starting or ending with
 *       a hyphen; a top-level domain of at least two letters; no trailing dot;</li>
 *   <li>whole address at most 254 characters.</li>
 * </ul>
 * Lower-casing the local part is technically lossy (RFC 5321) but every provider our customers
 * use treats it case-insensitively, and matching needs one spelling.
 *
 * <p>All methods are static, thread-safe and map null to null (or false).
 */
public final class Emails {

    private static final Pattern LOCAL = Pattern.compile("[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern TLD = Pattern.compile("[a-z]{2,63}");
    private static final Pattern WHITESPACE = Pattern.compile("\\s", Pattern.UNICODE_CHARACTER_CLASS);

    private static final Set<String> PLACEHOLDER_LOCALS = Set.of(
            "noemail", "no-email", "no_email", "no.email", "nomail", "no-mail", "none", "null", "nil",
            "na", "n.a", "unknown", "noreply", "no-reply", "donotreply", "test", "dummy", "fake",
            "asdf", "xxx");
    private static final Set<String> PLACEHOLDER_ADDRESSES = Set.of(
            "test@test.com", "a@a.com", "x@x.com", "abc@abc.com", "email@email.com");
    /** RFC 2606 reserved names, which can never be real mailboxes. */
    private static final Set<String> RESERVED_DOMAINS = Set.of("example.com", "example.org", "example.net");
    private static final Set<String> RESERVED_TLDS = Set.of("example", "test", "invalid", "localhost");

    private static final int MAX_LOCAL = 64;
    private static final int MAX_ADDRESS = 254;

    private Emails() {
    }

    /** Returns the trimmed, NFKC-folded, lower-cased address, or null when null or invalid. */
    public static String normalize(String raw) {
        if (raw == null) {
            return null;
        }
        String email = fold(raw);
        return reason(email) == null ? email : null;
    }

    /**
     * Returns why {@link #normalize} rejects the address ("missing @", "no dot in domain", ...),
     * or null when it is valid or {@code raw} is null.
     */
    public static String invalidReason(String raw) {
        return raw == null ? null : reason(fold(raw));
    }

    /**
     * Tells whether a (normalised) address is an obvious placeholder shared by many people, such
     * as {@code noemail@...}, {@code none@...}, {@code test@test.com} or any address at
     * {@code example.com/.org/.net}. Such addresses must never be used as identity keys.
     * The argument is normalised again, so raw input works too; null and invalid addresses are
     * not placeholders.
     */
    public static boolean isPlaceholder(String normalized) {
        String email = normalize(normalized);
        if (email == null) {
            return false;
        }
        int at = email.indexOf('@');
        String local = email.substring(0, at);
        String domain = email.substring(at + 1);
        String tld = domain.substring(domain.lastIndexOf('.') + 1);
        return PLACEHOLDER_ADDRESSES.contains(email) || PLACEHOLDER_LOCALS.contains(local)
                || RESERVED_DOMAINS.contains(domain) || domain.endsWith(".example.com")
                || RESERVED_TLDS.contains(tld);
    }

    private static String fold(String raw) {
        return Normalizer.normalize(raw, Normalizer.Form.NFKC).strip().toLowerCase(Locale.ROOT);
    }

    private static String reason(String email) {
        if (email.isEmpty()) {
            return "empty";
        }
        if (WHITESPACE.matcher(email).find()) {
            return "contains whitespace";
        }
        int at = email.indexOf('@');
        if (at < 0) {
            return "missing @";
        }
        if (email.indexOf('@', at + 1) >= 0) {
            return "more than one @";
        }
        if (email.length() > MAX_ADDRESS) {
            return "too long";
        }
        String local = email.substring(0, at);
        String domain = email.substring(at + 1);
        if (local.isEmpty()) {
            return "empty local part";
        }
        if (local.length() > MAX_LOCAL || !LOCAL.matcher(local).matches()) {
            return "invalid local part";
        }
        if (domain.isEmpty()) {
            return "empty domain";
        }
        if (domain.endsWith(".")) {
            return "trailing dot in domain";
        }
        String[] labels = domain.split("\\.", -1);
        if (labels.length < 2) {
            return "no dot in domain";
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return "invalid domain label";
            }
        }
        if (!TLD.matcher(labels[labels.length - 1]).matches()) {
            return "invalid top-level domain";
        }
        return null;
    }
}
