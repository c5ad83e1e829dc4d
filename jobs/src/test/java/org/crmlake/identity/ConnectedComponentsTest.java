package org.crmlake.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crmlake.SparkTestBase;
import org.junit.jupiter.api.Test;

/** The driver's union–find and the Spark label propagation find the same components. */
class ConnectedComponentsTest extends SparkTestBase {
    private static final StructType VERTEX = new StructType().add("id", DataTypes.StringType);
    private static final StructType EDGE = new StructType().add("src", DataTypes.StringType).add("dst", DataTypes.StringType);

    @Test
    void eachVertexGetsTheSmallestIdOfItsComponent() {
        String fullwidthA = "\uFF21";
        String emoji = "\uD83D\uDE00"; // before fullwidth A in Java's UTF-16 order, after it in Spark's UTF-8 order
        Dataset<Row> vertices = vertices(List.of("b", "a", "c", "d", "e", fullwidthA, emoji));
        // a-b-c chain given backwards, a duplicate and a self-loop; d alone.
        Dataset<Row> edges = edges(List.of(new String[] {"c", "b"}, new String[] {"b", "a"}, new String[] {"a", "b"},
                new String[] {"e", "e"}, new String[] {emoji, fullwidthA}));
        Map<String, String> expected = Map.of("a", "a", "b", "a", "c", "a", "d", "d", "e", "e",
                fullwidthA, fullwidthA, emoji, fullwidthA);
        assertThat(asMap(ConnectedComponents.onDriver(vertices, edges))).isEqualTo(new TreeMap<>(expected));
        assertThat(asMap(ConnectedComponents.inSpark(vertices, edges))).isEqualTo(new TreeMap<>(expected));
    }

    @Test
    void bothWaysAgreeOnARandomGraphWithLongChains() {
        Random random = new Random(7);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            ids.add("r" + random.nextInt(100_000));
        }
        List<String[]> links = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            links.add(new String[] {ids.get(random.nextInt(ids.size())), ids.get(random.nextInt(ids.size()))});
        }
        for (int i = 0; i + 1 < 20; i++) { // a chain of 20 records: the Spark way needs several rounds
            links.add(new String[] {ids.get(200 + i), ids.get(201 + i)});
        }
        Dataset<Row> vertices = vertices(ids);
        Dataset<Row> edges = edges(links);
        Map<String, String> onDriver = asMap(ConnectedComponents.of(vertices, edges));
        assertThat(onDriver).hasSize((int) ids.stream().distinct().count());
        assertThat(onDriver.get(ids.get(219))).isEqualTo(onDriver.get(ids.get(200)));
        assertThat(asMap(ConnectedComponents.of(vertices, edges, 0))).isEqualTo(onDriver);
    }

    private static Dataset<Row> vertices(List<String> ids) {
        return spark.createDataFrame(ids.stream().map(RowFactory::create).toList(), VERTEX);
    }

    private static Dataset<Row> edges(List<String[]> pairs) {
        return spark.createDataFrame(pairs.stream().map(p -> RowFactory.create(p[0], p[1])).toList(), EDGE);
    }

    private static Map<String, String> asMap(Dataset<Row> components) {
        Map<String, String> m = new TreeMap<>();
        components.collectAsList().forEach(r -> m.put(r.getString(r.fieldIndex("id")), r.getString(r.fieldIndex("component"))));
        return m;
    }
}
