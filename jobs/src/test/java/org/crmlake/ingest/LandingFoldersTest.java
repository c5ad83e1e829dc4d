package org.crmlake.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LandingFoldersTest {
    private static final LocalDate DAY = LocalDate.parse("2026-09-28");

    @Test
    void batchBytesSumsTheSourcesFoldersOfTheDate(@TempDir Path landing) throws Exception {
        Files.createDirectories(landing.resolve("crm/2026-09-28"));
        Files.write(landing.resolve("crm/2026-09-28/contacts.csv"), new byte[300]);
        Files.createDirectories(landing.resolve("erp/2026-09-28/more"));
        Files.write(landing.resolve("erp/2026-09-28/orders.csv"), new byte[1000]);
        Files.write(landing.resolve("erp/2026-09-28/more/lines.csv"), new byte[24]);
        Files.createDirectories(landing.resolve("erp/2026-09-29"));
        Files.write(landing.resolve("erp/2026-09-29/orders.csv"), new byte[5000]);
        String root = landing.toUri().toString();
        Configuration conf = new Configuration();

        assertThat(LandingFolders.batchBytes(root, List.of("crm", "erp", "web"), DAY, conf)).isEqualTo(1324);
        assertThat(LandingFolders.batchBytes(root, List.of("erp"), DAY, conf)).isEqualTo(1024);
        assertThat(LandingFolders.batchBytes(root, List.of("web"), DAY, conf)).as("no folder: not known").isEqualTo(-1);
        Files.createDirectories(landing.resolve("web/2026-09-28"));
        assertThat(LandingFolders.batchBytes(root, List.of("web"), DAY, conf)).as("an empty batch").isZero();
    }
}
