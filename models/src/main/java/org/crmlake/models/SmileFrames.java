package org.crmlake.models;

import smile.data.DataFrame;
import smile.data.type.DataTypes;
import smile.data.type.StructField;
import smile.data.type.StructType;
import smile.data.vector.IntVector;

import java.util.List;

/** Builds the Smile data frames the tree models train on. */
final class SmileFrames {

    /** Name of the label column inside Smile frames; never shown to users. */
    static final String LABEL = "__label";

    private SmileFrames() {}

    static DataFrame of(LabeledData data) {
        return DataFrame.of(data.x(), data.features().toArray(String[]::new))
                .add(new IntVector(LABEL, data.y()));
    }

    static StructType featureSchema(List<String> features) {
        return new StructType(
                features.stream().map(f -> new StructField(f, DataTypes.DoubleType)).toList());
    }
}
