package org.crmlake.models;

import java.nio.file.Path;

/** One registered version as listed by the registry. */
public record ModelVersion(
        String modelName,
        int version,
        Path dir,
        Algorithm algorithm,
        double rocAuc,
        String createdAt,
        boolean isChampion) {

    public String label() {
        return "v" + version;
    }
}
