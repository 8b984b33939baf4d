-- Clearing keeps the row and bumps the version, like a write of nothing.
UPDATE OrleansStorage
SET PayloadBinary = NULL,
    ModifiedOn = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
    Version = Version + 1
WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
    AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
    AND GrainTypeString = @GrainTypeString
    AND GrainIdExtensionString IS @GrainIdExtensionString
    AND ServiceId = @ServiceId
    AND Version = @GrainStateVersion
RETURNING Version AS NewGrainStateVersion;

SELECT @GrainStateVersion AS NewGrainStateVersion
WHERE @GrainStateVersion IS NOT NULL AND changes() = 0;
