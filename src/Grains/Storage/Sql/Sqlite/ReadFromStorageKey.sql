SELECT PayloadBinary, Version
FROM OrleansStorage
WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
    AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
    AND GrainTypeString = @GrainTypeString
    AND GrainIdExtensionString IS @GrainIdExtensionString
    AND ServiceId = @ServiceId
LIMIT 1;
