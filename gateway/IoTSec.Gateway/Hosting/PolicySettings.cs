using System;
using System.ComponentModel.DataAnnotations;
using System.IO;
using IoTSec.Gateway.Core;
using Microsoft.Extensions.Options;

namespace IoTSec.Gateway.Hosting;

/// <summary>The protocol allowlist's settings, section <c>IoTSec:Policy</c> (docs/policy.md).</summary>
public sealed class PolicySettings
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "IoTSec:Policy";

    /// <summary>The policy file; empty: <c>policy.yaml</c> in the data directory. Relative paths are under the data directory.</summary>
    public string File { get; set; } = string.Empty;

    /// <summary>
    /// When the policy file does not exist: write the documented development policy there
    /// (logged loudly) instead of refusing to start. Set by the embedded laptop defaults only.
    /// </summary>
    public bool AllowDevelopmentPolicy { get; set; }

    /// <summary>Reload when the file changes (as well as on SIGHUP).</summary>
    public bool WatchFile { get; set; } = true;

    /// <summary>Quiet time after the last change event before the file is read (editors write in several steps).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:10", ErrorMessage = "IoTSec:Policy:ReloadDebounce must be 50 ms to 10 s")]
    public TimeSpan ReloadDebounce { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often violations are written to the audit log (one entry per device per interval).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "IoTSec:Policy:ViolationAuditInterval must be 1 s to 1 h")]
    public TimeSpan ViolationAuditInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The policy file's absolute path for <paramref name="dataDirectory"/>.</summary>
    public string PathIn(GatewayDataDirectory dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        return string.IsNullOrWhiteSpace(File)
            ? dataDirectory.DefaultPolicyFile
            : Path.GetFullPath(Path.IsPathRooted(File) ? File : Path.Combine(dataDirectory.Root, File));
    }
}

/// <summary>Validates <see cref="PolicySettings"/> at start (source-generated from its attributes).</summary>
[OptionsValidator]
public sealed partial class PolicySettingsValidator : IValidateOptions<PolicySettings>
{
}
