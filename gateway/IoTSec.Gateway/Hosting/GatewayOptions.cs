using System;
using System.Collections.Generic;
using System.ComponentModel.DataAnnotations;
using System.Net;
using IoTSec.Gateway.Tpm;
using Microsoft.Extensions.Options;

namespace IoTSec.Gateway.Hosting;

/// <summary>
/// The daemon's configuration, section <c>IoTSec</c> (environment: <c>IOTSEC__KEYSTORE__BACKEND=tpm</c>;
/// command line: <c>run --IoTSec:KeyStore:Backend=tpm</c>). The property defaults here are the
/// safe ones (TPM keys, no development PKI); the EST service's settings are
/// <see cref="IoTSec.Gateway.Est.EstOptions"/> in <c>IoTSec:Est</c>; <see cref="GatewayDefaults"/> is the configuration
/// layer underneath everything else that makes a laptop run work out of the box.
/// </summary>
public sealed class GatewayOptions
{
    /// <summary>The root configuration section.</summary>
    public const string SectionName = "IoTSec";

    /// <summary>Where the long-lived keys live.</summary>
    [Required]
    [ValidateObjectMembers]
    public KeyStoreSettings KeyStore { get; set; } = new();

    /// <summary>The certificate hierarchy.</summary>
    [Required]
    [ValidateObjectMembers]
    public PkiSettings Pki { get; set; } = new();
}

/// <summary>Key store settings, section <c>IoTSec:KeyStore</c>.</summary>
public sealed class KeyStoreSettings : IValidatableObject
{
    /// <summary>"tpm" (keys in the TPM) or "software" (key files in the data directory; development only).</summary>
    [Required]
    [AllowedValues("tpm", "software", ErrorMessage = "IoTSec:KeyStore:Backend must be \"tpm\" or \"software\"")]
    public string Backend { get; set; } = "tpm";

    /// <summary>The explicit permission the software backend needs (it is refused without it).</summary>
    public bool AllowSoftwareKeys { get; set; }

    /// <summary>The TPM's TCTI ("device:/dev/tpmrm0"; "tabrmd:bus_type=session" for a software TPM behind tpm2-abrmd).</summary>
    [Required]
    public string Tcti { get; set; } = TpmKeyStoreOptions.DefaultTcti;

    /// <summary>Persistent handle of the identity key.</summary>
    [Required]
    public string IdentityHandle { get; set; } = "0x81000001";

    /// <summary>Persistent handle of the device-issuing CA key.</summary>
    [Required]
    public string DeviceCaHandle { get; set; } = "0x81000002";

    /// <summary>True for the software backend.</summary>
    public bool IsSoftware => string.Equals(Backend, "software", StringComparison.Ordinal);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (IsSoftware && !AllowSoftwareKeys)
        {
            yield return new ValidationResult(
                "IoTSec:KeyStore:Backend is \"software\" but IoTSec:KeyStore:AllowSoftwareKeys is false: software keys are for development only; use the TPM, or allow them explicitly",
                [nameof(AllowSoftwareKeys)]);
        }

        foreach (var (name, value) in new[] { (nameof(IdentityHandle), IdentityHandle), (nameof(DeviceCaHandle), DeviceCaHandle) })
        {
            if (!TryParseHandle(value, out _))
            {
                yield return new ValidationResult($"IoTSec:KeyStore:{name} '{value}' is not a persistent handle such as 0x81000001", [name]);
            }
        }
    }

    /// <summary>Parses a handle ("0x81000001" or decimal).</summary>
    public static bool TryParseHandle(string? text, out uint handle)
    {
        handle = 0;
        try
        {
            handle = TpmKeyStoreOptions.ParseHandle(text ?? string.Empty);
            return true;
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            return false;
        }
    }
}

/// <summary>Certificate hierarchy settings, section <c>IoTSec:Pki</c>.</summary>
public sealed class PkiSettings : IValidatableObject
{
    /// <summary>The offline root certificate installed after the CA ceremony (relative paths are under the data directory).</summary>
    [Required]
    public string RootCertificate { get; set; } = "pki/root.pem";

    /// <summary>This gateway's intermediate, signed by the offline root at the ceremony.</summary>
    [Required]
    public string IntermediateCertificate { get; set; } = "pki/intermediate.pem";

    /// <summary>
    /// When no root and intermediate are installed: make a development root and intermediate in
    /// the data directory (logged loudly) instead of refusing to start.
    /// </summary>
    public bool AllowDevelopmentPki { get; set; }

    /// <summary>PEM files of the CAs that issue birth certificates (the manufacturer); empty: the offline root.</summary>
    public List<string> BirthTrustAnchors { get; set; } = [];

    /// <summary>Name of this gateway in its intermediate's subject (development PKI).</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", ErrorMessage = "IoTSec:Pki:GatewayName must be 1-64 characters of [A-Za-z0-9._-]")]
    public string GatewayName { get; set; } = "iotsec-gateway";

    /// <summary>Lifetime of device operational certificates.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "825.00:00:00", ErrorMessage = "IoTSec:Pki:DeviceCertificateValidity must be 1 hour to 825 days")]
    public TimeSpan DeviceCertificateValidity { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Lifetime of the gateway's own TLS server certificates (rotated after two thirds).</summary>
    [Range(typeof(TimeSpan), "00:10:00", "30.00:00:00", ErrorMessage = "IoTSec:Pki:ServerCertificateValidity must be 10 minutes to 30 days")]
    public TimeSpan ServerCertificateValidity { get; set; } = TimeSpan.FromDays(1);

    /// <summary>DNS names in the server certificate; with no names and no addresses configured: localhost.</summary>
    public List<string> ServerDnsNames { get; set; } = [];

    /// <summary>IP addresses in the server certificate; with no names and no addresses configured: 127.0.0.1 and ::1.</summary>
    public List<string> ServerIpAddresses { get; set; } = [];

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < ServerIpAddresses.Count; i++)
        {
            if (!IPAddress.TryParse(ServerIpAddresses[i], out _))
            {
                yield return new ValidationResult($"IoTSec:Pki:ServerIpAddresses:{i} '{ServerIpAddresses[i]}' is not an IP address", [nameof(ServerIpAddresses)]);
            }
        }

        for (var i = 0; i < ServerDnsNames.Count; i++)
        {
            if (Uri.CheckHostName(ServerDnsNames[i]) != UriHostNameType.Dns)
            {
                yield return new ValidationResult($"IoTSec:Pki:ServerDnsNames:{i} '{ServerDnsNames[i]}' is not a DNS name", [nameof(ServerDnsNames)]);
            }
        }
    }
}

/// <summary>Validates <see cref="GatewayOptions"/> at start (source-generated from the attributes).</summary>
[OptionsValidator]
public sealed partial class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
}
