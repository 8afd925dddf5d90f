package io.tidegate.store;
/** placeholder */
public final class DynamoDbStore {}
