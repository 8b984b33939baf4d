-- Optimistic write: succeeds only when the stored version is the one the grain read.
-- Orleans reads NewGrainStateVersion: the new version on success; the old version (or nothing,
-- for a first write) tells it another writer got there first.
UPDATE OrleansStorage
SET PayloadBinary = @PayloadBinary,
    ModifiedOn = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
    Version = Version + 1
WHERE @GrainStateVersion IS NOT NULL
    AND GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
    AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
    AND GrainTypeString = @GrainTypeString
    AND GrainIdExtensionString IS @GrainIdExtensionString
    AND ServiceId = @ServiceId
    AND Version = @GrainStateVersion
RETURNING Version AS NewGrainStateVersion;

-- changes() still counts the UPDATE above: zero rows means a version conflict.
SELECT @GrainStateVersion AS NewGrainStateVersion
WHERE @GrainStateVersion IS NOT NULL AND changes() = 0;

INSERT INTO OrleansStorage
    (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString, @GrainIdExtensionString, @ServiceId, @PayloadBinary,
    strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 1
WHERE @GrainStateVersion IS NULL
    AND NOT EXISTS (
        SELECT 1 FROM OrleansStorage
        WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
            AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
            AND GrainTypeString = @GrainTypeString
            AND GrainIdExtensionString IS @GrainIdExtensionString
            AND ServiceId = @ServiceId)
RETURNING Version AS NewGrainStateVersion;
