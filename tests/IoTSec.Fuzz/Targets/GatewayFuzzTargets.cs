using IoTSec.Gateway.Core.Backup;

namespace IoTSec.Fuzz.Targets;

/// <summary>The gateway's parsers of outside input, one line each.</summary>
public static class GatewayFuzzTargets
{
    /// <summary>
    /// backup-manifest: the manifest.json of a backup file. It is read only after the backup's
    /// signature verified, yet a restore must refuse any content with its typed error.
    /// </summary>
    public static FuzzTarget[] All { get; } =
    [
        new DecoderFuzzTarget("backup-manifest", input => BackupManifest.Parse(input), typeof(BackupRejectedException)),
    ];
}
