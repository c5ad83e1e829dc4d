package org.crmlake.training;

import java.nio.file.Path;
import org.crmlake.lake.Lake;
import org.crmlake.models.ModelRegistry;

/**
 * Where the model registry lives: {@code $CRM_MODELS}, else {@code models/} inside a lake on local
 * disk. Smile trains in one JVM, so the registry is a local folder; a lake on s3a: or hdfs: needs
 * {@code CRM_MODELS}.
 */
public final class ModelStore {
    private ModelStore() {
    }

    public static ModelRegistry open(Lake lake) {
        String env = System.getenv("CRM_MODELS");
        if (env != null && !env.isBlank()) {
            return new ModelRegistry(Path.of(env));
        }
        String root = lake.root();
        if (root.startsWith("file:")) {
            return new ModelRegistry(Path.of(java.net.URI.create(root)).resolve("models"));
        }
        if (root.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            throw new IllegalArgumentException("the lake " + root + " is not on local disk: set CRM_MODELS to a local "
                    + "folder for the model registry");
        }
        return new ModelRegistry(Path.of(root).resolve("models"));
    }
}
