package org.crmlake.generate;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Simulates persons one at a time and streams each person's records into the landing files of
 * every source, plus the ground truth. Memory stays bounded: no person is kept after it is written.
 */
public final class WorldGenerator {

    private static final int PROGRESS_EVERY = 10_000;

    private final GenerateOptions options;
    private Consumer<String> progress = message -> { };

    public WorldGenerator(GenerateOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /** Receives messages such as "generated 10000/100000 customers". */
    public WorldGenerator onProgress(Consumer<String> listener) {
        this.progress = Objects.requireNonNull(listener, "listener");
        return this;
    }

    public GenerateResult generate() throws IOException {
        Path out = options.out();
        // Same arguments must give the same bytes, so nothing from an earlier run may survive.
        deleteTree(out.resolve("landing"));
        deleteTree(out.resolve("truth"));
        Files.createDirectories(out);

        Batches batches = Batches.of(options);
        Catalog catalog = new Catalog(options.seed());
        NameBank names = new NameBank();
        Map<String, Long> rows = new TreeMap<>();
        try (Landing landing = new Landing(out, batches, options.mess()); Truth truth = new Truth(out, batches)) {
            World world = new World(options, batches, catalog, names, landing, truth, new Mess(options.mess()));
            PersonFactory persons = new PersonFactory(options, batches, names);
            CrmWriter crm = new CrmWriter(world);
            ErpWriter erp = new ErpWriter(world);
            WebWriter web = new WebWriter(world);
            CallWriter calls = new CallWriter(world);
            crm.writeReference();
            erp.writeReference();
            for (int i = 0; i < options.customers(); i++) {
                Person p = persons.create(i);
                List<Purchases.Order> orders = Purchases.simulate(p, batches, catalog, world.stream(p, 50));
                String contactId = crm.write(p, orders);
                erp.write(p, contactId, orders);
                web.write(p, orders);
                calls.write(p, contactId);
                truth.person(p);
                if ((i + 1) % PROGRESS_EVERY == 0 || i + 1 == options.customers()) {
                    progress.accept("generated " + (i + 1) + "/" + options.customers() + " customers");
                }
            }
            landing.addCounts(rows);
            truth.addCounts(rows);
        }
        Truth.writeWorld(out, options, batches, rows);
        return new GenerateResult(out, batches.dates(), java.util.Collections.unmodifiableMap(rows),
                options.customers());
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
