using System;
using System.Globalization;
using IoTSec.Gateway.Core.Keys;

namespace IoTSec.Gateway.Tpm;

/// <summary>Where the TPM is and where in it the gateway's keys live.</summary>
public sealed class TpmKeyStoreOptions
{
    /// <summary>The kernel's resource manager: what a gateway with a TPM module uses.</summary>
    public const string DefaultTcti = "device:/dev/tpmrm0";

    /// <summary>Persistent handle of the gateway identity key.</summary>
    public const uint DefaultIdentityHandle = 0x8100_0001;

    /// <summary>Persistent handle of the device-issuing CA key.</summary>
    public const uint DefaultDeviceCaHandle = 0x8100_0002;

    /// <summary>Owner-hierarchy persistent handles (TPM 2.0 Part 2, TPM_HT_PERSISTENT; 0x81800000 and up belong to the platform).</summary>
    private const uint FirstOwnerPersistent = 0x8100_0000;
    private const uint LastOwnerPersistent = 0x817F_FFFF;

    /// <summary>
    /// TCTI string for tpm2-tss and the OpenSSL tpm2 provider: "device:/dev/tpmrm0" on a
    /// gateway, "tabrmd:bus_type=session" against the test software TPM.
    /// </summary>
    public string Tcti { get; set; } = DefaultTcti;

    /// <summary>Persistent handle of <see cref="GatewayKeyRole.Identity"/>.</summary>
    public uint IdentityHandle { get; set; } = DefaultIdentityHandle;

    /// <summary>Persistent handle of <see cref="GatewayKeyRole.DeviceCa"/>.</summary>
    public uint DeviceCaHandle { get; set; } = DefaultDeviceCaHandle;

    /// <summary>
    /// Directory for sealed secret blobs (files 0600, directory 0700); usually
    /// &lt;data-dir&gt;/sealed. Null: the key store offers no sealer.
    /// </summary>
    public string? SealedSecretsDirectory { get; set; }

    /// <summary>The persistent handle configured for <paramref name="role"/>.</summary>
    public uint HandleOf(GatewayKeyRole role) => role switch
    {
        GatewayKeyRole.Identity => IdentityHandle,
        GatewayKeyRole.DeviceCa => DeviceCaHandle,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "unknown key role"),
    };

    /// <summary>Checks the options; the message names the offending setting.</summary>
    /// <exception cref="GatewayKeyStoreException">A setting is invalid.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Tcti))
        {
            throw new GatewayKeyStoreException("Tcti: empty; use e.g. \"device:/dev/tpmrm0\"");
        }

        CheckHandle(nameof(IdentityHandle), IdentityHandle);
        CheckHandle(nameof(DeviceCaHandle), DeviceCaHandle);
        if (IdentityHandle == DeviceCaHandle)
        {
            throw new GatewayKeyStoreException($"IdentityHandle and DeviceCaHandle are both 0x{IdentityHandle:x8}; each key needs its own handle");
        }
    }

    /// <summary>Parses "0x81000001" (or decimal).</summary>
    /// <exception cref="FormatException">Not a number.</exception>
    public static uint ParseHandle(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        return trimmed.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.Parse(trimmed.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)
            : uint.Parse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    private static void CheckHandle(string name, uint handle)
    {
        if (handle is < FirstOwnerPersistent or > LastOwnerPersistent)
        {
            throw new GatewayKeyStoreException(
                $"{name}: 0x{handle:x8} is not an owner persistent handle (0x{FirstOwnerPersistent:x8}..0x{LastOwnerPersistent:x8})");
        }
    }
}
