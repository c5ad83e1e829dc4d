package org.crmlake.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The role model fails closed: every way of not having a usable role is a refusal. No Spark. */
class AccessPolicyTest {
    @TempDir
    Path dir;

    @Test
    void rolesAndOwnerIdsComeFromTheFile() throws IOException {
        Path file = dir.resolve("access.yaml");
        Files.writeString(file, "users:\n  mia: {role: marketing}\n  sam:\n    role: sales_rep\n    owner_id: OWN07\n"
                + "  ada: {role: admin}\n  max: {role: manager, team: Enterprise}\n");
        AccessPolicy policy = AccessPolicy.load(file);
        assertThat(policy.identify("mia")).isEqualTo(new Caller("mia", Role.MARKETING, null, null));
        Caller sam = policy.identify("sam");
        assertThat(sam.role().book()).isEqualTo(Role.Book.OWN);
        assertThat(sam.ownerId()).isEqualTo("OWN07");
        assertThat(sam.bookDescription()).isEqualTo("; owner_id=OWN07");
        assertThat(policy.identify("ada").role()).isEqualTo(Role.ADMIN);
        assertThat(policy.identify("ada").bookDescription()).isEmpty();
        Caller max = policy.identify("max");
        assertThat(max.role().book()).isEqualTo(Role.Book.TEAM);
        assertThat(max.bookDescription()).isEqualTo("; team=Enterprise");
        assertThat(Role.ANALYST.seesClearContactPoints()).isFalse();
    }

    @Test
    void missingFilesBadFilesUnknownUsersAndRepsWithoutOwnerAreRefused() throws IOException {
        assertThatThrownBy(() -> AccessPolicy.load(dir.resolve("none.yaml"))).isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("no access file");
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "people:\n  - mia\n");
        assertThatThrownBy(() -> AccessPolicy.load(bad)).hasMessageContaining("has no 'users:' map");
        Path file = dir.resolve("access.yaml");
        Files.writeString(file, "users:\n  rex: {role: sales_rep}\n  ada: {role: superuser}\n  meg: {role: manager}\n");
        AccessPolicy policy = AccessPolicy.load(file);
        assertThatThrownBy(() -> policy.identify("rex")).isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("sales rep rex has no owner_id");
        assertThatThrownBy(() -> policy.identify("meg")).hasMessageContaining("manager meg has no team");
        assertThatThrownBy(() -> policy.identify("ada")).hasMessageContaining("has role 'superuser'")
                .satisfies(e -> assertThat(((AccessDeniedException) e).role()).isEqualTo("superuser"));
        assertThatThrownBy(() -> policy.identify("zed")).hasMessageContaining("user zed has no role");
    }

    @Test
    void theShippedFileLetsTheDemoUsersIn() {
        AccessPolicy shipped = AccessPolicy.load(Path.of("..", "conf", "access.yaml"));
        assertThat(shipped.identify("demo-marketing").role()).isEqualTo(Role.MARKETING);
        assertThat(shipped.identify("demo-analyst").role()).isEqualTo(Role.ANALYST);
        assertThat(shipped.identify("demo-sales").ownerId()).isEqualTo("OWN01");
        assertThat(shipped.identify("demo-admin").role()).isEqualTo(Role.ADMIN);
        assertThat(shipped.identify("demo-manager").team()).isNotBlank();
    }
}
