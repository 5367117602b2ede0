using System;
using System.Security.Cryptography.X509Certificates;

namespace IoTSec.Gateway.Core.Pki;

/// <summary>
/// What the gateway intermediate issues: device operational certificates from verified CSRs
/// (for EST simpleenroll/simplereenroll/serverkeygen) and the gateway's own short-lived TLS
/// server certificates. Only signatures are asked of the CA key, so it works with the TPM key.
/// </summary>
public sealed class DeviceCertificateIssuer
{
    private readonly GatewayCertificateAuthority _authority;
    private readonly DeviceCertificateOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Issues under <paramref name="authority"/>.</summary>
    public DeviceCertificateIssuer(GatewayCertificateAuthority authority, DeviceCertificateOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(authority);
        _authority = authority;
        _options = options ?? new DeviceCertificateOptions();
        _options.Validate();
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The authority this issuer signs for.</summary>
    public GatewayCertificateAuthority Authority => _authority;

    /// <summary>Verifies the DER CSR and issues the device's operational certificate.</summary>
    /// <exception cref="SigningRequestRejectedException">The CSR or device id is refused; the reason says why.</exception>
    public X509Certificate2 IssueDeviceCertificate(string deviceId, ReadOnlySpan<byte> csrDer) =>
        IssueDeviceCertificate(deviceId, SigningRequestReader.ReadDer(csrDer));

    /// <summary>
    /// Issues the operational certificate of <paramref name="deviceId"/> for a verified request.
    /// The subject is <c>CN=&lt;deviceId&gt;</c> whatever the request asked; a request whose
    /// own CN names another device is refused, since it means a confused or lying requester.
    /// </summary>
    /// <exception cref="SigningRequestRejectedException">Invalid device id, a CN for another device, or a key the devices may not use.</exception>
    public X509Certificate2 IssueDeviceCertificate(string deviceId, VerifiedSigningRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!DeviceId.IsValid(deviceId))
        {
            throw new SigningRequestRejectedException(
                SigningRequestRejection.InvalidDeviceId, "a device id is 1-64 characters of [A-Za-z0-9._-]");
        }

        var requestedName = request.CommonName;
        if (requestedName is not null && !string.Equals(requestedName, deviceId, StringComparison.Ordinal))
        {
            throw new SigningRequestRejectedException(
                SigningRequestRejection.SubjectMismatch, $"the request's CN '{Printable(requestedName)}' is not the enrolling device '{deviceId}'");
        }

        var template = CertificateTemplates.Device(deviceId, request.PublicKey, _authority.Intermediate, CertificateTemplates.HashFor(_authority.SigningKey));
        return Sign(template, _options.Validity);
    }

    /// <summary>
    /// Issues a TLS server certificate for <paramref name="publicKey"/> (a software key the
    /// caller made in memory; see ADR 0006 for why not the TPM key on tpm2-openssl 1.1.1).
    /// </summary>
    public X509Certificate2 IssueServerCertificate(PublicKey publicKey, ServerCertificateOptions options)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var template = CertificateTemplates.Server(options, publicKey, _authority.Intermediate, CertificateTemplates.HashFor(_authority.SigningKey));
        return Sign(template, options.Validity);
    }

    private X509Certificate2 Sign(CertificateRequest template, TimeSpan validity)
    {
        var intermediate = _authority.Intermediate;
        return CertificateTemplates.Sign(
            template, intermediate.SubjectName, new DateTimeOffset(intermediate.NotAfter.ToUniversalTime()), _authority.SigningKey, _time.GetUtcNow(), validity);
    }

    // A refused CN goes into a message that reaches logs: keep it short and printable.
    private static string Printable(string value)
    {
        var chars = value.Length > 64 ? value[..64].ToCharArray() : value.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsControl(chars[i]))
            {
                chars[i] = '?';
            }
        }

        return new string(chars);
    }
}
