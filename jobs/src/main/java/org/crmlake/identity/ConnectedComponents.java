package org.crmlake.identity;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.min;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Connected components of the match graph. A graph of up to {@link #DRIVER_MAX_EDGES} edges (a
 * world of about two million customers) is streamed to the driver and joined by union–find, which
 * takes one pass instead of a handful of Spark rounds (each a few joins, a checkpoint and a count:
 * seconds of fixed cost on small lakes, ~20 s at 100k customers). Larger graphs stay in Spark: every
 * vertex repeatedly takes the smallest label among itself and its neighbours, then jumps to its
 * label's label, until no label changes; each round is checkpointed so the query plan does not grow.
 * Both give every vertex the smallest id of its component.
 */
final class ConnectedComponents {
    static final int MAX_ROUNDS = 50;
    /** Edges up to which the driver holds the graph: ~100 bytes per linked vertex of heap. */
    static final long DRIVER_MAX_EDGES = 8_000_000;

    private ConnectedComponents() {
    }

    /**
     * @param vertices one column {@code id}
     * @param edges    columns {@code src}, {@code dst}
     * @return {@code id}, {@code component}: the smallest id of the vertex's component
     */
    static Dataset<Row> of(Dataset<Row> vertices, Dataset<Row> edges) {
        return of(vertices, edges, DRIVER_MAX_EDGES);
    }

    static Dataset<Row> of(Dataset<Row> vertices, Dataset<Row> edges, long driverMaxEdges) {
        return edges.count() <= driverMaxEdges ? onDriver(vertices, edges) : inSpark(vertices, edges);
    }

    /** Union–find over the edges on the driver; vertices without edges are their own component. */
    static Dataset<Row> onDriver(Dataset<Row> vertices, Dataset<Row> edges) {
        UnionFind graph = new UnionFind();
        Iterator<Row> it = edges.select(col("src"), col("dst"))
                .filter(col("src").isNotNull().and(col("dst").isNotNull())).toLocalIterator();
        while (it.hasNext()) {
            Row edge = it.next();
            graph.union(edge.getString(0), edge.getString(1));
        }
        StructType schema = new StructType().add("id", DataTypes.StringType, false)
                .add("linked_component", DataTypes.StringType, false);
        List<Row> components = graph.components();
        // Slices of ~10,000 rows keep each task small (the rows travel inside the tasks).
        var spark = vertices.sparkSession();
        int slices = Math.max(spark.sparkContext().defaultParallelism(), components.size() / 10_000);
        Dataset<Row> linked = spark.createDataFrame(
                JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(components, slices), schema);
        return vertices.select(col("id")).distinct().join(linked, "id", "left")
                .select(col("id"), coalesce(col("linked_component"), col("id")).as("component"))
                .localCheckpoint();
    }

    static Dataset<Row> inSpark(Dataset<Row> vertices, Dataset<Row> edges) {
        Dataset<Row> undirected = edges.select(col("src"), col("dst"))
                .union(edges.select(col("dst").as("src"), col("src").as("dst")))
                .filter(col("src").notEqual(col("dst"))).distinct().localCheckpoint();
        Dataset<Row> labels = vertices.select(col("id"), col("id").as("label")).distinct().localCheckpoint();
        for (int round = 1; round <= MAX_ROUNDS; round++) {
            Dataset<Row> fromNeighbours = undirected.join(labels.withColumnRenamed("id", "src"), "src")
                    .groupBy(col("dst").as("id")).agg(min("label").as("neighbour_label"));
            Dataset<Row> spread = labels.join(fromNeighbours, "id", "left")
                    .select(col("id"), least(col("label"), coalesce(col("neighbour_label"), col("label"))).as("label"));
            Dataset<Row> jumped = spread.alias("v").join(spread.alias("l"), col("v.label").equalTo(col("l.id")), "left")
                    .select(col("v.id").as("id"), least(col("v.label"), coalesce(col("l.label"), col("v.label"))).as("label"))
                    .localCheckpoint();
            long changed = jumped.join(labels.withColumnRenamed("label", "old"), "id")
                    .filter(col("label").notEqual(col("old"))).count();
            labels = jumped;
            if (changed == 0) {
                return labels.withColumnRenamed("label", "component");
            }
        }
        throw new IllegalStateException("connected components did not converge in " + MAX_ROUNDS
                + " rounds; the match graph has very long chains, which points at an over-merging key");
    }

    /** Disjoint sets of string ids, path-halving and union by size. */
    private static final class UnionFind {
        private final Map<String, Integer> index = new HashMap<>();
        private final List<String> ids = new ArrayList<>();
        private int[] parent = new int[1024];
        private int[] size = new int[1024];

        void union(String a, String b) {
            int ra = find(indexOf(a));
            int rb = find(indexOf(b));
            if (ra == rb) {
                return;
            }
            if (size[ra] < size[rb]) {
                int t = ra;
                ra = rb;
                rb = t;
            }
            parent[rb] = ra;
            size[ra] += size[rb];
        }

        /** One row per linked id: the id and its component's smallest id, in Spark's string order (UTF-8 bytes). */
        List<Row> components() {
            UTF8String[] smallest = new UTF8String[ids.size()];
            for (int i = 0; i < ids.size(); i++) {
                int root = find(i);
                UTF8String id = UTF8String.fromString(ids.get(i));
                if (smallest[root] == null || id.compareTo(smallest[root]) < 0) {
                    smallest[root] = id;
                }
            }
            List<Row> rows = new ArrayList<>(ids.size());
            for (int i = 0; i < ids.size(); i++) {
                rows.add(RowFactory.create(ids.get(i), smallest[find(i)].toString()));
            }
            return rows;
        }

        private int indexOf(String id) {
            Integer i = index.get(id);
            if (i != null) {
                return i;
            }
            int n = ids.size();
            if (n == parent.length) {
                parent = Arrays.copyOf(parent, n * 2);
                size = Arrays.copyOf(size, n * 2);
            }
            parent[n] = n;
            size[n] = 1;
            ids.add(id);
            index.put(id, n);
            return n;
        }

        private int find(int i) {
            while (parent[i] != i) {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            return i;
        }
    }
}
