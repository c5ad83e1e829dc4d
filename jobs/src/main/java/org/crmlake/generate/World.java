package org.crmlake.generate;

import java.util.SplittableRandom;

/** What every source writer shares while the world is generated. */
record World(GenerateOptions options, Batches batches, Catalog catalog, NameBank names, Landing landing, Truth truth,
             Mess mess) {

    /** Stream {@code purpose} of person p: each source draws from its own so they stay independent. */
    SplittableRandom stream(Person p, int purpose) {
        return Seeds.stream(options.seed(), p.index(), purpose);
    }
}
