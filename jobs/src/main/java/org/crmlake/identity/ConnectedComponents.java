package org.crmlake.identity;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.min;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Connected components of the match graph, computed in Spark (nothing collected to the driver):
 * every vertex repeatedly takes the smallest label among itself and its neighbours, then jumps to
 * its label's label, until no label changes. Person clusters are small, so a handful of rounds
 * suffice; each round is checkpointed so the query plan does not grow.
 */
final class ConnectedComponents {
    static final int MAX_ROUNDS = 50;

    private ConnectedComponents() {
    }

    /**
     * @param vertices one column {@code id}
     * @param edges    columns {@code src}, {@code dst}
     * @return {@code id}, {@code component}: the smallest id of the vertex's component
     */
    static Dataset<Row> of(Dataset<Row> vertices, Dataset<Row> edges) {
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
}
