package org.crmlake.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crmlake.SparkTestBase;
import org.crmlake.lake.DataKeys;
import org.crmlake.lake.Lake;
import org.crmlake.lake.Tables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Personal columns on disk: encrypted with the lake's key, readable in clear only through the lake
 * with that key, re-encrypted after a rotation, and still erasable by content (a quarantined record).
 */
class ProtectionAtRestTest extends SparkTestBase {
    private static final String EMAIL = "zhang.wei@shop.cn";
    private static final String PHONE = "+8613812345678";
    private static final String NAME = "张伟";

    @TempDir
    Path dir;

    @Test
    void personalColumnsAreCiphertextOnDiskAndClearThroughTheLake() throws IOException {
        DataKeys keys = newKeys(dir.resolve("keys.yaml"));
        Lake lake = new Lake(spark, dir.resolve("lake").toString(), keys);
        lake.overwrite(Tables.PERSONS, persons(List.of("crm:contacts:1", "erp:customers:9")));

        Dataset<Row> stored = lake.readStored(Tables.PERSONS);
        List<Row> raw = stored.select("email", "phone_e164", "full_name", "street", "record_key").collectAsList();
        for (Row r : raw) {
            for (int i = 0; i < 4; i++) {
                assertThat(r.getString(i)).startsWith("enc1:" + keys.currentKeyId() + ":");
            }
            assertThat(r.getString(4)).as("ids are not protected: joins and erasure use them").isIn("crm:contacts:1", "erp:customers:9");
        }
        assertThat(raw.get(0).getString(0)).as("a fresh nonce per value").isNotEqualTo(raw.get(1).getString(0));

        List<Row> clear = lake.read(Tables.PERSONS).select("email", "phone_e164", "full_name").distinct().collectAsList();
        assertThat(clear).hasSize(1);
        assertThat(clear.get(0).getString(0)).isEqualTo(EMAIL);
        assertThat(clear.get(0).getString(1)).isEqualTo(PHONE);
        assertThat(clear.get(0).getString(2)).isEqualTo(NAME);

        // Every file of the table (Parquet and the Delta log) read as bytes holds none of the values.
        try (Stream<Path> files = Files.walk(dir.resolve("lake"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
                assertThat(text).as(f.toString()).doesNotContain(EMAIL).doesNotContain(PHONE).doesNotContain(NAME)
                        .doesNotContain("Lane 7");
            }
        }
    }

    @Test
    void aLakeReadWithoutItsKeyOrWithAnotherKeyFailsNamingTheFix() throws IOException {
        String root = dir.resolve("lake").toString();
        new Lake(spark, root, newKeys(dir.resolve("keys.yaml"))).overwrite(Tables.PERSONS, persons(List.of("crm:contacts:1")));

        // Refused before anything is read or written: the lake records its key file's fingerprint.
        assertThatThrownBy(() -> new Lake(spark, root, DataKeys.NONE).read(Tables.PERSONS).collectAsList())
                .isInstanceOf(DataKeys.KeyException.class).hasMessageContaining("no key file is configured: set $CRM_KEY_FILE");
        assertThatThrownBy(() -> new Lake(spark, root, DataKeys.NONE).append(Tables.QUARANTINE,
                spark.createDataFrame(List.of(), Tables.QUARANTINE.schema())))
                .as("a keyless job would write clear values").isInstanceOf(DataKeys.KeyException.class);
        assertThatThrownBy(() -> new Lake(spark, root, newKeys(dir.resolve("other.yaml"))).read(Tables.PERSONS).collectAsList())
                .isInstanceOf(DataKeys.KeyException.class).hasMessageContaining("was encrypted with another key file");
        assertThat(new Lake(spark, root, DataKeys.load(dir.resolve("keys.yaml"))).read(Tables.PERSONS).count()).isEqualTo(1);

        // A value under a key id the file does not hold (the marker aside): one line naming the fix.
        DataKeys other = DataKeys.load(dir.resolve("other.yaml"));
        String foreign = other.encrypt("x").replace(":" + other.currentKeyId() + ":", ":k19990101:");
        assertThatThrownBy(() -> DataKeys.load(dir.resolve("keys.yaml")).decrypt(foreign))
                .isInstanceOf(DataKeys.KeyException.class).hasMessageContaining("encrypted with key 'k19990101'");
    }

    @Test
    void rotationReencryptsEveryValueAndTheOldKeyCanGo() throws IOException {
        Path file = dir.resolve("keys.yaml");
        DataKeys first = newKeys(file);
        String root = dir.resolve("lake").toString();
        // Clear rows from before the lake had a key, then encrypted ones.
        new Lake(spark, root, DataKeys.NONE).overwrite(Tables.PERSONS, persons(List.of("crm:contacts:1")));
        Lake lake = new Lake(spark, root, first);
        lake.append(Tables.PERSONS, persons(List.of("crm:contacts:2")));
        assertThat(new Reencryption(lake).status().get("silver.persons"))
                .containsEntry(Reencryption.CLEAR, 8L).containsEntry(first.currentKeyId(), 8L);

        String newId = DataKeys.rotate(file);
        DataKeys rotated = DataKeys.load(file);
        assertThat(rotated.keyIds()).containsExactly(newId, first.currentKeyId());
        Lake after = new Lake(spark, root, rotated);
        List<String> summary = new Reencryption(after).reencrypt(0, line -> { });
        assertThat(summary.get(0)).startsWith("re-encrypted 1 of 1 tables with key " + newId);
        assertThat(new Reencryption(after).status().get("silver.persons")).containsOnly(Map.entry(newId, 16L));

        // The old key removed from the file: everything still reads (VACUUM took the old files).
        Files.writeString(file, Files.readString(file).lines().filter(l -> !l.contains("id: " + first.currentKeyId() + ","))
                .reduce("", (a, b) -> a + b + "\n"));
        assertThat(DataKeys.load(file).keyIds()).containsExactly(newId);
        assertThat(new Lake(spark, root, DataKeys.load(file)).read(Tables.PERSONS).select("email").distinct().collectAsList())
                .extracting(r -> r.getString(0)).containsExactly(EMAIL);
    }

    @Test
    void aQuarantinedRecordIsErasedByItsDecryptedContent() throws IOException {
        Lake lake = new Lake(spark, dir.resolve("lake").toString(), newKeys(dir.resolve("keys.yaml")));
        StructType schema = Tables.QUARANTINE.schema();
        Timestamp now = new Timestamp(System.currentTimeMillis());
        Date day = Date.valueOf("2026-11-01");
        lake.append(Tables.QUARANTINE, spark.createDataFrame(List.of(
                RowFactory.create("crm", "contacts", day, "f.csv", "C1,Wei,Zhang," + EMAIL + ",bad-date", "unparseable", now),
                RowFactory.create("crm", "contacts", day, "f.csv", "C2,Ann,Lee,ann@example.com,bad-date", "unparseable", now)), schema));
        Dataset<Row> matches = spark.createDataFrame(List.of(RowFactory.create("text", EMAIL)),
                new StructType().add("kind", DataTypes.StringType).add("value", DataTypes.StringType));

        lake.deleteMatching(Tables.QUARANTINE, matches, "s.kind = 'text' AND instr(lower(t.`raw_record`), s.value) > 0");

        assertThat(lake.read(Tables.QUARANTINE).select("raw_record").collectAsList()).extracting(r -> r.getString(0))
                .containsExactly("C2,Ann,Lee,ann@example.com,bad-date");
    }

    @Test
    void keyedHashesNeedTheKey() throws IOException {
        DataKeys keys = newKeys(dir.resolve("keys.yaml"));
        Lake lake = new Lake(spark, dir.resolve("lake").toString(), keys);
        String id = "C000123";
        Row r = spark.createDataFrame(List.of(RowFactory.create(id)), new StructType().add("id", DataTypes.StringType))
                .select(lake.keyedHash(org.apache.spark.sql.functions.col("id"))).first();
        assertThat(r.getString(0)).isEqualTo(keys.hash(id)).hasSize(64).isNotEqualTo(Hashes.sha256(id))
                .isNotEqualTo(newKeys(dir.resolve("other.yaml")).hash(id));
        assertThat(DataKeys.NONE.hash(id)).isEqualTo(Hashes.sha256(id));
    }

    @Test
    void aBrokenKeyFileIsRefusedWithTheFix() throws IOException {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "hash_key: abc\nkeys: []\n");
        assertThatThrownBy(() -> DataKeys.load(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hash_key must be 32 bytes in base64");
        Path file = dir.resolve("keys.yaml");
        newKeys(file);
        assertThatThrownBy(() -> DataKeys.create(file)).hasMessageContaining("exists already");
        assertThat(Files.getPosixFilePermissions(file)).extracting(Object::toString)
                .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
        DataKeys keys = DataKeys.load(file);
        String sealed = keys.encrypt(NAME);
        String tampered = sealed.substring(0, sealed.length() - 2) + (sealed.endsWith("A") ? "BB" : "AA");
        assertThatThrownBy(() -> keys.decrypt(tampered)).isInstanceOf(DataKeys.KeyException.class);
        assertThat(keys.decrypt(sealed)).isEqualTo(NAME);
        assertThat(keys.decrypt("plain text")).isEqualTo("plain text");
        // A source value that merely looks like ciphertext is encrypted like any other.
        String lookalike = "enc1:" + keys.currentKeyId() + ":AAAA";
        assertThat(keys.decrypt(keys.encrypt(lookalike))).isEqualTo(lookalike);
    }

    private static DataKeys newKeys(Path file) throws IOException {
        DataKeys.create(file);
        return DataKeys.load(file);
    }

    private static Dataset<Row> persons(List<String> recordKeys) {
        List<Row> rows = new ArrayList<>();
        Timestamp t = Timestamp.valueOf("2026-11-01 10:00:00");
        for (String k : recordKeys) {
            String[] p = k.split(":");
            rows.add(RowFactory.create(k, p[0], p[1], p[2], NAME, "伟", "张", "wei zhang", null, EMAIL, false, PHONE,
                    Date.valueOf("1980-02-03"), "Lane 7", "Shanghai", "200000", "CN", null, "OWN01", t, t, Date.valueOf("2026-11-01")));
        }
        return spark.createDataFrame(rows, Tables.PERSONS.schema());
    }
}
