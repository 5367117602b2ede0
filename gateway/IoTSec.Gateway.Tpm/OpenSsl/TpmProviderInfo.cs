using System;

namespace IoTSec.Gateway.Tpm.OpenSsl;

/// <summary>The OpenSSL tpm2 provider as loaded in this process, and what its version allows.</summary>
public sealed class TpmProviderInfo
{
    /// <summary>
    /// tpm2-openssl 1.2.0 stopped reporting the TPM key's private part as exportable (before,
    /// libssl signed handshakes with the default provider and failed) and 1.3.0 added locking
    /// for use from several threads: from 1.3.0 on a TLS endpoint may use the TPM key itself.
    /// </summary>
    public static readonly Version MinimumForTls = new(1, 3, 0);

    internal TpmProviderInfo(string? versionText, string? error)
    {
        VersionText = versionText;
        Error = error;
        Version = versionText is not null && System.Version.TryParse(TrimSuffix(versionText), out var parsed) ? parsed : null;
    }

    /// <summary>The provider's own "version" parameter (e.g. "1.1.1"); null when it did not load.</summary>
    public string? VersionText { get; }

    /// <summary><see cref="VersionText"/> parsed; null when absent or unparsable.</summary>
    public Version? Version { get; }

    /// <summary>Why the provider did not load (missing package, TPM unreachable); null when it did.</summary>
    public string? Error { get; }

    /// <summary>True when the provider loaded.</summary>
    public bool IsAvailable => Error is null;

    /// <summary>
    /// True when TLS endpoints may use the TPM key directly (tpm2-openssl 1.3.0 or newer);
    /// otherwise they use short-lived software keys whose certificates the TPM CA key issues.
    /// </summary>
    public bool SupportsTlsWithTpmKey => Version is not null && Version >= MinimumForTls;

    /// <summary>One line for `keys show` and the start-up log.</summary>
    public override string ToString() => IsAvailable
        ? $"tpm2-openssl {VersionText}; TLS with the TPM key: " +
          (SupportsTlsWithTpmKey ? "yes" : $"no (needs {MinimumForTls} or newer; TLS endpoints use short-lived software keys issued by the TPM CA key)")
        : $"tpm2-openssl unavailable: {Error}";

    // "1.2.0-rc1" or "1.1.1-dirty" → "1.2.0" / "1.1.1".
    private static string TrimSuffix(string text)
    {
        var end = text.IndexOfAny(['-', '+', ' ']);
        return end < 0 ? text : text[..end];
    }
}
