package org.crmlake.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Users and their roles, from an access file ({@code conf/access.yaml}, or {@code $CRM_ACCESS}):
 * <pre>
 * users:
 *   mia:   { role: marketing }
 *   ann:   { role: analyst }
 *   sam:   { role: sales_rep, owner_id: OWN01 }
 *   max:   { role: manager, team: Enterprise }
 * </pre>
 * Fails closed: a missing or unreadable file, a user not in it, a role that is not one of
 * {@link Role}, a sales rep without an owner_id or a manager without a team are all refusals, never
 * a default role.
 */
public final class AccessPolicy {
    private record Entry(String role, String ownerId, String team) {
    }

    private final Path file;
    private final Map<String, Entry> users;

    private AccessPolicy(Path file, Map<String, Entry> users) {
        this.file = file;
        this.users = users;
    }

    public static AccessPolicy load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new AccessDeniedException("no access file " + file.toAbsolutePath().normalize()
                    + ": create it (see conf/access.yaml) or point $CRM_ACCESS / --access at one", null);
        }
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new AccessDeniedException("access file " + file + " is not valid YAML: "
                    + e.getMessage().lines().findFirst().orElse(""), null);
        }
        JsonNode list = root == null ? null : root.get("users");
        if (list == null || !list.isObject()) {
            throw new AccessDeniedException("access file " + file + " has no 'users:' map of user -> {role, owner_id, team}", null);
        }
        Map<String, Entry> users = new TreeMap<>();
        list.properties().forEach(e -> users.put(e.getKey(),
                new Entry(text(e.getValue(), "role"), text(e.getValue(), "owner_id"), text(e.getValue(), "team"))));
        return new AccessPolicy(file, users);
    }

    /** The caller's name: the explicit one, else $CRM_USER, else the operating-system user. */
    public static String currentUser(String explicit) {
        if (explicit != null && !explicit.isBlank()) {
            return explicit.strip();
        }
        String env = System.getenv("CRM_USER");
        return env != null && !env.isBlank() ? env.strip() : System.getProperty("user.name");
    }

    /** The user's role (and owner id), or a refusal naming what is missing. */
    public Caller identify(String user) {
        Entry e = users.get(user);
        if (e == null) {
            throw new AccessDeniedException("user " + user + " has no role in " + file
                    + " (roles: " + Role.known() + "); use --user or $CRM_USER, or ask an admin to add you", null);
        }
        Role role = Role.parse(e.role()).orElseThrow(() -> new AccessDeniedException("user " + user + " has role '"
                + e.role() + "' in " + file + ", which may not do this (roles: " + Role.known() + ")", e.role()));
        if (role.book() == Role.Book.OWN && (e.ownerId() == null || e.ownerId().isBlank())) {
            throw new AccessDeniedException("sales rep " + user + " has no owner_id in " + file
                    + ", so they own no customers", e.role());
        }
        if (role.book() == Role.Book.TEAM && (e.team() == null || e.team().isBlank())) {
            throw new AccessDeniedException("manager " + user + " has no team in " + file
                    + ", so they lead no customers' owners", e.role());
        }
        return new Caller(user, role, e.ownerId(), e.team());
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? null : v.asText().strip();
    }
}
