package org.crmlake.lake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys that protect personal data at rest (docs/PRIVACY.md, "Protection at rest"), read from a
 * key file outside the code: {@code -Dcrm.keyFile}, else {@code $CRM_KEY_FILE}, else
 * {@code keys/lake-keys.yaml} beside the lake folder (where {@code crm demo} puts one).
 * <pre>
 * hash_key: BASE64         # 32 bytes: keyed hashes (HMAC-SHA256) of identifiers; never rotated
 * keys:                    # AES-256-GCM; the first encrypts new values, every one decrypts
 *   - {id: k20261124, key: BASE64}
 * </pre>
 * A stored value is {@code enc1:<key id>:<base64 of nonce + ciphertext + tag>}; a value without
 * that prefix was written before the lake had a key and reads as it is. Without a key file
 * nothing is encrypted ({@link #NONE}), and reading an encrypted value fails with a message naming
 * the fix.
 */
public final class DataKeys implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String PROPERTY = "crm.keyFile";
    public static final String ENV = "CRM_KEY_FILE";
    private static final String PREFIX = "enc1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Cipher and Mac instances cost more to look up than to use: one per thread, re-initialised per value. */
    private static final ThreadLocal<Cipher> GCM = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    });
    private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", e);
        }
    });

    /** A value cannot be decrypted with the keys at hand; the message names the fix. */
    public static final class KeyException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        public KeyException(String message) {
            super(message);
        }
    }

    /** No key file: values are stored in clear. */
    public static final DataKeys NONE = new DataKeys(null, new LinkedHashMap<>(), null);

    private final String file;
    /** Key id to AES key bytes; the first entry is the current key. */
    private final LinkedHashMap<String, byte[]> keys;
    private final byte[] hashKey;

    private DataKeys(String file, LinkedHashMap<String, byte[]> keys, byte[] hashKey) {
        this.file = file;
        this.keys = keys;
        this.hashKey = hashKey;
    }

    /** The key file for a lake (see the class comment), or {@link #NONE}. */
    public static DataKeys forLake(String lakeRoot) {
        String explicit = System.getProperty(PROPERTY);
        if (explicit == null || explicit.isBlank()) {
            explicit = System.getenv(ENV);
        }
        if (explicit != null && !explicit.isBlank()) {
            Path file = Path.of(explicit.strip());
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("the key file " + file + " ($" + ENV + ") does not exist: create one with "
                        + "'crm keys new " + file + "' or point $" + ENV + " at yours");
            }
            return load(file);
        }
        Path beside = besideLake(lakeRoot);
        return beside != null && Files.isRegularFile(beside) ? load(beside) : NONE;
    }

    /** {@code keys/lake-keys.yaml} in the lake folder's parent, for a lake on the local disk; else null. */
    public static Path besideLake(String lakeRoot) {
        if (lakeRoot == null || lakeRoot.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:.*") && !lakeRoot.startsWith("file:")) {
            return null;
        }
        Path lake = Path.of(lakeRoot.replaceFirst("^file:(//)?", "")).toAbsolutePath().normalize();
        return lake.getParent() == null ? null : lake.getParent().resolve("keys").resolve("lake-keys.yaml");
    }

    public static DataKeys load(Path file) {
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("the key file " + file + " is not readable YAML: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        byte[] hashKey = bytes(file, "hash_key", root == null ? null : root.get("hash_key"));
        JsonNode list = root.get("keys");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new IllegalArgumentException("the key file " + file + " has no 'keys:' list of {id, key}; create one with 'crm keys new FILE'");
        }
        LinkedHashMap<String, byte[]> keys = new LinkedHashMap<>();
        for (JsonNode k : list) {
            String id = k.path("id").asText("");
            if (!id.matches("[A-Za-z0-9_-]{1,40}")) {
                throw new IllegalArgumentException("the key file " + file + " has a key id '" + id + "': use letters, digits, '-' or '_'");
            }
            keys.put(id, bytes(file, "key " + id, k.get("key")));
        }
        return new DataKeys(file.toString(), keys, hashKey);
    }

    private static byte[] bytes(Path file, String what, JsonNode node) {
        byte[] b;
        try {
            b = node == null ? new byte[0] : Base64.getDecoder().decode(node.asText().strip());
        } catch (IllegalArgumentException e) {
            b = new byte[0];
        }
        if (b.length != 32) {
            throw new IllegalArgumentException("the key file " + file + ": " + what + " must be 32 bytes in base64; create keys with 'crm keys new FILE'");
        }
        return b;
    }

    /** Writes a new key file (owner-only permissions) with a fresh hash key and one encryption key. */
    public static void create(Path file) throws IOException {
        if (Files.exists(file)) {
            throw new IllegalArgumentException(file + " exists already; 'crm keys rotate " + file + "' adds a key to it");
        }
        Map<String, byte[]> keys = new LinkedHashMap<>();
        keys.put(newKeyId(), randomKey());
        write(file, randomKey(), keys);
    }

    /** Puts a fresh key first in the file (it encrypts from now on); the older keys stay to decrypt. Returns its id. */
    public static String rotate(Path file) throws IOException {
        DataKeys current = load(file);
        String id = newKeyId();
        for (int n = 2; current.keys.containsKey(id); n++) {
            id = newKeyId() + "-" + n;
        }
        Map<String, byte[]> keys = new LinkedHashMap<>();
        keys.put(id, randomKey());
        keys.putAll(current.keys);
        write(file, current.hashKey, keys);
        return id;
    }

    private static void write(Path file, byte[] hashKey, Map<String, byte[]> keys) throws IOException {
        List<String> lines = new ArrayList<>(List.of(
                "# crm data keys (docs/PRIVACY.md). Keep this file out of the lake, readable only by the pipeline's account.",
                "# hash_key: keyed hashes of identifiers (never rotate it: the suppression list is matched with it).",
                "# keys: AES-256-GCM, newest first; the first encrypts, all decrypt. Rotate with 'crm keys rotate'.",
                "hash_key: " + Base64.getEncoder().encodeToString(hashKey),
                "keys:"));
        keys.forEach((id, key) -> lines.add("  - {id: " + id + ", key: " + Base64.getEncoder().encodeToString(key) + "}"));
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, ".keys", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static String newKeyId() {
        return "k" + LocalDate.now(java.time.ZoneOffset.UTC).toString().replace("-", "");
    }

    private static byte[] randomKey() {
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        return k;
    }

    /** A key file is configured: personal columns are encrypted and identifiers hashed with the hash key. */
    public boolean present() {
        return !keys.isEmpty();
    }

    /** Where the keys came from, for messages ("no key file" without one). */
    public String source() {
        return file == null ? "no key file" : file;
    }

    /** Id of the key new values are encrypted with, null without keys. */
    public String currentKeyId() {
        return keys.isEmpty() ? null : keys.keySet().iterator().next();
    }

    public List<String> keyIds() {
        return List.copyOf(keys.keySet());
    }

    /** The stored form of a value: encrypted with the current key (a fresh nonce each time), or as it is without keys. */
    public String encrypt(String clear) {
        if (clear == null || keys.isEmpty()) {
            return clear;
        }
        String id = currentKeyId();
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = GCM.get();
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys.get(id), "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(id.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(clear.getBytes(StandardCharsets.UTF_8));
            return PREFIX + id + ":" + Base64.getEncoder().withoutPadding()
                    .encodeToString(ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /** The clear value of a stored one; a value stored without encryption comes back as it is. */
    public String decrypt(String stored) {
        if (stored == null || !stored.startsWith(PREFIX)) {
            return stored;
        }
        int colon = stored.indexOf(':', PREFIX.length());
        String id = colon < 0 ? "?" : stored.substring(PREFIX.length(), colon);
        byte[] key = keys.get(id);
        if (key == null) {
            throw new KeyException(keys.isEmpty()
                    ? "the lake holds encrypted personal data but no key file is configured: set $" + ENV + " to the lake's key file (docs/PRIVACY.md)"
                    : "a value is encrypted with key '" + id + "', which " + file + " does not hold (it has " + keys.keySet()
                            + "): put that key back in the file, or re-encrypt the lake with 'crm keys reencrypt' before removing a key");
        }
        try {
            byte[] all = Base64.getDecoder().decode(stored.substring(colon + 1));
            Cipher c = GCM.get();
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
            c.updateAAD(id.getBytes(StandardCharsets.UTF_8));
            return new String(c.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new KeyException("a value encrypted with key '" + id + "' does not decrypt with the key of that id in "
                    + file + ": the key was changed or the value damaged");
        }
    }

    /**
     * What the lake records to tell its key file from others (HMAC of a constant under the hash
     * key, which is never rotated); reveals nothing of the keys. Null without keys.
     */
    public String fingerprint() {
        return hashKey == null ? null : hash("crm lake fingerprint").substring(0, 16);
    }

    /** The key id a stored value is encrypted with, null when it is stored in clear. */
    public static String keyIdOf(String stored) {
        if (stored == null || !stored.startsWith(PREFIX)) {
            return null;
        }
        int colon = stored.indexOf(':', PREFIX.length());
        return colon < 0 ? null : stored.substring(PREFIX.length(), colon);
    }

    /**
     * A keyed hash (HMAC-SHA256, lowercase hex) of an identifier, for matching without keeping it:
     * without the key file no one can test guesses against it. Without keys, plain SHA-256.
     */
    public String hash(String value) {
        if (value == null) {
            return null;
        }
        try {
            if (hashKey == null) {
                return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(value.getBytes(StandardCharsets.UTF_8)));
            }
            Mac mac = HMAC.get();
            mac.init(new SecretKeySpec(hashKey, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", e);
        }
    }
}
