-- Orleans' ADO.NET clustering and grain storage on PostgreSQL: the tables they use. Written for
-- this project after the contract of Orleans' reference scripts (src/AdoNet in the Orleans
-- repository): the same table and column names, query parameters and result columns. Runs once,
-- when the database has no orleansquery table, inside one transaction.
CREATE TABLE OrleansQuery
(
    QueryKey  varchar(64) PRIMARY KEY,
    QueryText text NOT NULL
);

-- One version row per cluster: every membership change bumps it (optimistic concurrency).
CREATE TABLE OrleansMembershipVersionTable
(
    DeploymentId varchar(150) PRIMARY KEY,
    Timestamp    timestamptz(3) NOT NULL DEFAULT now(),
    Version      integer NOT NULL DEFAULT 0
);

-- One row per silo incarnation.
CREATE TABLE OrleansMembershipTable
(
    DeploymentId varchar(150) NOT NULL REFERENCES OrleansMembershipVersionTable (DeploymentId),
    Address      varchar(45) NOT NULL,
    Port         integer NOT NULL,
    Generation   integer NOT NULL,
    SiloName     varchar(150) NOT NULL,
    HostName     varchar(150) NOT NULL,
    Status       integer NOT NULL,
    ProxyPort    integer NULL,
    SuspectTimes varchar(8000) NULL,
    StartTime    timestamptz(3) NOT NULL,
    IAmAliveTime timestamptz(3) NOT NULL,
    PRIMARY KEY (DeploymentId, Address, Port, Generation)
);

CREATE TABLE OrleansStorage
(
    GrainIdHash            integer NOT NULL,
    GrainIdN0              bigint NOT NULL,
    GrainIdN1              bigint NOT NULL,
    GrainTypeHash          integer NOT NULL,
    GrainTypeString        varchar(512) NOT NULL,
    GrainIdExtensionString varchar(512) NULL,
    ServiceId              varchar(150) NOT NULL,
    PayloadBinary          bytea NULL,
    ModifiedOn             timestamptz NOT NULL,
    Version                integer NULL
);

CREATE UNIQUE INDEX UX_OrleansStorage_Grain
    ON OrleansStorage (GrainIdHash, GrainTypeHash, ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, GrainIdExtensionString) NULLS NOT DISTINCT;
