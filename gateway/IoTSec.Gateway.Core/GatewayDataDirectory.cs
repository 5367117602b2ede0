using System;
using System.IO;

namespace IoTSec.Gateway.Core;

/// <summary>
/// Where the gateway keeps its state (inventory, audit log, software keys). Resolved once
/// from the command line, then the environment, so the daemon and the administration verbs
/// run against the same files.
/// </summary>
public sealed class GatewayDataDirectory
{
    /// <summary>Environment variable that names the data directory.</summary>
    public const string EnvironmentVariable = "IOTSEC_DATA_DIR";

    /// <summary>Set by systemd for a unit with <c>StateDirectory=</c> (for example /var/lib/iotsec).</summary>
    public const string SystemdStateDirectoryVariable = "STATE_DIRECTORY";

    /// <summary>The default, relative to the working directory, for development.</summary>
    public const string DefaultRelativePath = "iotsec-data";

    /// <summary>Creates a data directory rooted at <paramref name="root"/> (made absolute).</summary>
    public GatewayDataDirectory(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
    }

    /// <summary>The absolute path of the directory.</summary>
    public string Root { get; }

    /// <summary>The device inventory database.</summary>
    public string InventoryDatabase => Path.Combine(Root, "inventory.db");

    /// <summary>The hash-chained audit log database.</summary>
    public string AuditDatabase => Path.Combine(Root, "audit.db");

    /// <summary>
    /// The audit anchor (entry count and head digest), kept in its own file so that cutting
    /// the tail off audit.db alone is detected.
    /// </summary>
    public string AuditAnchorDatabase => Path.Combine(Root, "audit-anchor.db");

    /// <summary>The posture database: per-device heartbeat chain state, key epochs and verdicts.</summary>
    public string PostureDatabase => Path.Combine(Root, "posture.db");

    /// <summary>The protocol allowlist policy file used when the configuration names none.</summary>
    public string DefaultPolicyFile => Path.Combine(Root, "policy.yaml");

    /// <summary>
    /// Resolves the directory: <paramref name="explicitPath"/> (the --data-dir option) when
    /// given, else $IOTSEC_DATA_DIR, else systemd's $STATE_DIRECTORY, else ./iotsec-data.
    /// </summary>
    public static GatewayDataDirectory Resolve(string? explicitPath)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return new GatewayDataDirectory(explicitPath);
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return new GatewayDataDirectory(fromEnvironment);
        }

        // systemd may pass several colon-separated directories; the first is ours.
        var stateDirectory = Environment.GetEnvironmentVariable(SystemdStateDirectoryVariable);
        if (!string.IsNullOrWhiteSpace(stateDirectory))
        {
            return new GatewayDataDirectory(stateDirectory.Split(':')[0]);
        }

        return new GatewayDataDirectory(DefaultRelativePath);
    }

    /// <summary>
    /// Creates the directory when missing, readable by the gateway's user only (0700): the
    /// inventory and the audit log are evidence, and software keys may live here too.
    /// </summary>
    public GatewayDataDirectory EnsureExists()
    {
        if (!Directory.Exists(Root))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(Root);
            }
            else
            {
                Directory.CreateDirectory(Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        return this;
    }
}
