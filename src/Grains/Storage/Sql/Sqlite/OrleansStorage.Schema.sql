-- Orleans' ADO.NET grain storage on SQLite: the two tables it reads and writes.
-- Written for this project after the contract of Orleans' reference scripts (src/AdoNet in the
-- Orleans repository): the same table and column names, the same query parameters and result
-- columns. It runs once, when the file has no OrleansStorage table, inside one transaction.
CREATE TABLE OrleansQuery
(
    QueryKey  TEXT PRIMARY KEY,
    QueryText TEXT NOT NULL
);

CREATE TABLE OrleansStorage
(
    GrainIdHash            INTEGER NOT NULL,
    GrainIdN0              INTEGER NOT NULL,
    GrainIdN1              INTEGER NOT NULL,
    GrainTypeHash          INTEGER NOT NULL,
    GrainTypeString        TEXT NOT NULL,
    GrainIdExtensionString TEXT NULL,
    ServiceId              TEXT NOT NULL,
    PayloadBinary          BLOB NULL,
    ModifiedOn             TEXT NOT NULL,
    Version                INTEGER NULL
);

-- One row per grain: a second insert for the same grain fails instead of forking its state.
CREATE UNIQUE INDEX UX_OrleansStorage_Grain
    ON OrleansStorage (GrainIdHash, GrainTypeHash, ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, GrainIdExtensionString);
