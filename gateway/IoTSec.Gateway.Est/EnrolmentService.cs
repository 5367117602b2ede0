using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Inventory;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Core.Pki;
using IoTSec.Gateway.Core.Tamper;
using IoTSec.Protocol.Heartbeat;
using Microsoft.Extensions.Logging;

namespace IoTSec.Gateway.Est;

/// <summary>
/// What the EST endpoints do, apart from HTTP: the authentication rule of each operation,
/// admission (one enrolment per device at a time, the per-device rate limit, the signing
/// queue), CSR checks, issuance and recording in the inventory (which supersedes the
/// device's previous operational certificate and writes the enrolment to the audit log), and
/// the heartbeat key.
/// </summary>
public sealed partial class EnrolmentService
{
    /// <summary>The actor the inventory and the audit log record for enrolments.</summary>
    public const string Actor = "est";

    /// <summary>The Retry-After sent while issuance is stopped (a re-arm needs an operator on site).</summary>
    public static readonly TimeSpan IssuanceStoppedRetryAfter = TimeSpan.FromMinutes(5);

    private readonly DeviceCertificateIssuer _issuer;
    private readonly DeviceInventory _inventory;
    private readonly EnrolmentGuard _guard;
    private readonly EnrolmentQueue _queue;
    private readonly HeartbeatSecret _heartbeatSecret;
    private readonly ILogger<EnrolmentService> _logger;
    private readonly byte[] _caCertificates;
    private readonly TamperState? _tamper;

    /// <summary>Creates the service; with <paramref name="tamper"/>, issuance stops while it says so.</summary>
    public EnrolmentService(
        DeviceCertificateIssuer issuer,
        DeviceInventory inventory,
        EnrolmentGuard guard,
        EnrolmentQueue queue,
        HeartbeatSecret heartbeatSecret,
        ILogger<EnrolmentService> logger,
        TamperState? tamper = null)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(guard);
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(heartbeatSecret);
        ArgumentNullException.ThrowIfNull(logger);
        _issuer = issuer;
        _inventory = inventory;
        _guard = guard;
        _queue = queue;
        _heartbeatSecret = heartbeatSecret;
        _logger = logger;
        _tamper = tamper;
        _caCertificates = CertsOnlyMessage.Encode([issuer.Authority.Root, issuer.Authority.Intermediate]);
    }

    /// <summary>The cacerts answer: the offline root and this gateway's intermediate, certs-only DER.</summary>
    public ReadOnlyMemory<byte> CaCertificates => _caCertificates;

    /// <summary>
    /// Applies the authentication rule of <paramref name="operation"/> to the client's identity
    /// and returns the device (null for cacerts from an unregistered client).
    /// </summary>
    /// <exception cref="EstRefusedException">The rule refuses the client.</exception>
    public DeviceRecord? Authorize(ClientIdentity? identity, EstOperation operation)
    {
        if (identity is null)
        {
            throw new EstRefusedException(EstRefusal.NoClientCertificate, "a client certificate is required");
        }

        if (operation == EstOperation.CaCerts)
        {
            return null;
        }

        if (identity.Kind == ClientCertificateKind.Unregistered || identity.DeviceId is null)
        {
            throw new EstRefusedException(EstRefusal.UnknownDevice, "no device of this gateway's inventory owns this certificate");
        }

        var deviceId = identity.DeviceId;
        var device = _inventory.Find(deviceId)
            ?? throw new EstRefusedException(EstRefusal.UnknownDevice, "the device is not in this gateway's inventory", deviceId: deviceId);
        if (DeviceLifecycle.IsClosed(device.State) || _inventory.IsDeviceRevoked(deviceId))
        {
            throw new EstRefusedException(EstRefusal.DeviceRevoked, "the device is revoked or decommissioned", deviceId: deviceId);
        }

        var needsBirth = operation == EstOperation.SimpleEnroll;
        var needsOperational = operation is EstOperation.SimpleReenroll or EstOperation.HeartbeatKey;
        if (needsBirth && identity.Kind != ClientCertificateKind.Birth)
        {
            throw new EstRefusedException(EstRefusal.BirthCertificateRequired, "simpleenroll takes the device's birth certificate; renew with simplereenroll", deviceId: deviceId);
        }

        if (needsOperational && identity.Kind != ClientCertificateKind.Operational)
        {
            throw new EstRefusedException(EstRefusal.OperationalCertificateRequired, "this request takes the device's operational certificate; enrol first", deviceId: deviceId);
        }

        if (identity.Kind == ClientCertificateKind.Operational)
        {
            // Only the current certificate renews or fetches a key: a superseded one may be a
            // copy left on a replaced board or in a dump.
            var active = _inventory.GetActiveOperationalCertificate(deviceId);
            if (active is null || !string.Equals(active.Sha256, identity.Sha256, StringComparison.Ordinal))
            {
                throw new EstRefusedException(EstRefusal.CertificateSuperseded, "this is not the device's current operational certificate", deviceId: deviceId);
            }
        }

        return device;
    }

    /// <summary>
    /// Runs one enrolment: authorize, admit (409/429), read and check the CSR, wait for a
    /// signing slot (503), issue, record. <paramref name="readCsr"/> returns the DER request,
    /// or null for an empty body (allowed for serverkeygen only).
    /// </summary>
    /// <returns>The issued certificate, and for serverkeygen the key the gateway made (the caller sends it and disposes it).</returns>
    /// <exception cref="EstRefusedException">Any refusal.</exception>
    public async Task<EnrolmentResult> EnrolAsync(
        ClientIdentity? identity, EstOperation operation, Func<CancellationToken, Task<byte[]?>> readCsr, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(readCsr);
        if (operation is not (EstOperation.SimpleEnroll or EstOperation.SimpleReenroll or EstOperation.ServerKeyGen))
        {
            throw new ArgumentOutOfRangeException(nameof(operation), operation, "not an enrolment");
        }

        Authorize(identity, operation);
        var deviceId = identity!.DeviceId!;
        RefuseWhileIssuanceStopped(deviceId);

        // Admission before the body is read: a second request of the same device is refused
        // at once, even while the first one is still sending its CSR.
        using var admission = _guard.Begin(deviceId);
        var csrDer = await readCsr(cancellation).ConfigureAwait(false);
        VerifiedSigningRequest? request = null;
        if (csrDer is not null)
        {
            request = ReadRequest(csrDer, deviceId);
        }
        else if (operation != EstOperation.ServerKeyGen)
        {
            throw new EstRefusedException(EstRefusal.MalformedRequest, "the body must be a base64 PKCS#10 request", deviceId: deviceId);
        }

        X509Certificate2 issued;
        ECDsa? generatedKey = null;
        try
        {
            using (await _queue.EnterAsync(deviceId, cancellation).ConfigureAwait(false))
            {
                // Again after the wait for a slot: the enclosure may have opened meanwhile.
                RefuseWhileIssuanceStopped(deviceId);
                if (operation == EstOperation.ServerKeyGen)
                {
                    // RFC 7030 §4.4: the key in a client's CSR is ignored; the gateway makes one.
                    generatedKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                    issued = _issuer.IssueDeviceCertificate(deviceId, RequestFor(generatedKey, deviceId));
                }
                else
                {
                    issued = _issuer.IssueDeviceCertificate(deviceId, request!);
                }
            }

            // Recorded after the signing slot is freed: the next enrolment signs while this one
            // waits for the durable commit, which it shares with the others waiting (group
            // commit). The certificate reaches the device only once it is recorded.
            try
            {
                await RecordAsync(identity, issued).ConfigureAwait(false);
            }
            catch
            {
                issued.Dispose();
                throw;
            }
        }
        catch (SigningRequestRejectedException e)
        {
            generatedKey?.Dispose();
            throw Refusal(e, deviceId);
        }
        catch
        {
            generatedKey?.Dispose();
            throw;
        }

        admission.Succeeded();
        EstMetrics.Enrolled(operation);
        LogIssued(_logger, issued.SerialNumber, deviceId, OperationName(operation), issued.NotAfter.ToUniversalTime());
        return new EnrolmentResult(issued, generatedKey);
    }

    /// <summary>
    /// The heartbeat key response for the device's current operational certificate
    /// (docs/protocols/heartbeat-key.md), as CBOR.
    /// </summary>
    /// <exception cref="EstRefusedException">The rule refuses the client, or the secret is unavailable.</exception>
    public byte[] HeartbeatKey(ClientIdentity? identity)
    {
        Authorize(identity, EstOperation.HeartbeatKey);
        var deviceId = identity!.DeviceId!;
        var certificate = identity.Certificate;
        var serial = certificate.SerialNumberBytes.ToArray();
        byte[] key;
        try
        {
            key = _heartbeatSecret.DeriveKey(deviceId, serial);
        }
        catch (SecretSealedException e)
        {
            throw new EstRefusedException(EstRefusal.SecretUnavailable, e.Message, HeartbeatSecret.RetryInterval, deviceId);
        }
        catch (ArgumentException)
        {
            throw new EstRefusedException(EstRefusal.InvalidDeviceId, "the device id or certificate serial cannot carry a heartbeat key", deviceId: deviceId);
        }

        try
        {
            var notAfter = (ulong)new DateTimeOffset(certificate.NotAfter.ToUniversalTime()).ToUnixTimeSeconds();
            var response = new HeartbeatKeyResponse(key, serial, notAfter);
            LogHeartbeatKey(_logger, deviceId, Convert.ToHexStringLower(response.GetKeyId()), certificate.SerialNumber);
            return response.Encode();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    // The tamper response (docs/threat-model.md, "Tamper switch"): an opened gateway may be in
    // an attacker's hands, so it signs nothing for anyone until an operator re-arms it.
    private void RefuseWhileIssuanceStopped(string deviceId)
    {
        if (_tamper?.IssuanceRefusal is { } refusal)
        {
            throw new EstRefusedException(EstRefusal.IssuanceStopped, refusal, IssuanceStoppedRetryAfter, deviceId);
        }
    }

    private static VerifiedSigningRequest ReadRequest(byte[] der, string deviceId)
    {
        VerifiedSigningRequest request;
        try
        {
            request = SigningRequestReader.ReadDer(der);
        }
        catch (SigningRequestRejectedException e)
        {
            throw Refusal(e, deviceId);
        }

        // The issuer names the certificate after the device whatever the CSR says; a CSR that
        // names no one or someone else comes from a confused or lying requester.
        if (!string.Equals(request.CommonName, deviceId, StringComparison.Ordinal))
        {
            throw new EstRefusedException(EstRefusal.SubjectMismatch, $"the request's subject must be CN={deviceId}", deviceId: deviceId);
        }

        return request;
    }

    private static VerifiedSigningRequest RequestFor(ECDsa key, string deviceId)
    {
        var request = new CertificateRequest("CN=" + deviceId, key, HashAlgorithmName.SHA256);
        return SigningRequestReader.ReadDer(request.CreateSigningRequest());
    }

    private async Task RecordAsync(ClientIdentity identity, X509Certificate2 issued)
    {
        var deviceId = identity.DeviceId!;
        try
        {
            // The birth certificate is recorded once (again is a no-op), so that revoking the
            // device revokes it too and it can never enrol again.
            var birth = identity.Kind == ClientCertificateKind.Birth ? identity.Certificate : null;
            await _inventory.RecordEnrolmentAsync(deviceId, issued, birth, Actor).ConfigureAwait(false);
        }
        catch (InventoryException e) when (e.Reason is InventoryErrorReason.InvalidStateTransition)
        {
            // Revoked or decommissioned while this request waited for its slot.
            throw new EstRefusedException(EstRefusal.DeviceRevoked, "the device is revoked or decommissioned", deviceId: deviceId);
        }
        catch (InventoryException e) when (e.Reason is InventoryErrorReason.UnknownDevice)
        {
            throw new EstRefusedException(EstRefusal.UnknownDevice, "the device is not in this gateway's inventory", deviceId: deviceId);
        }
    }

    private static EstRefusedException Refusal(SigningRequestRejectedException e, string deviceId)
    {
        var (reason, message) = e.Reason switch
        {
            SigningRequestRejection.SignatureInvalid => (EstRefusal.SignatureInvalid, "the request's signature does not verify with its own key"),
            SigningRequestRejection.UnsupportedKey => (EstRefusal.UnsupportedKey, "the request's key is not ECDSA P-256/P-384 or RSA 2048-4096"),
            SigningRequestRejection.SubjectMismatch => (EstRefusal.SubjectMismatch, $"the request's subject must be CN={deviceId}"),
            SigningRequestRejection.InvalidDeviceId => (EstRefusal.InvalidDeviceId, "the device id is not valid in a certificate"),
            _ => (EstRefusal.MalformedRequest, "the body is not a DER PKCS#10 request"),
        };
        return new EstRefusedException(reason, message, deviceId: deviceId);
    }

    private static string OperationName(EstOperation operation) => operation switch
    {
        EstOperation.SimpleEnroll => "simpleenroll",
        EstOperation.SimpleReenroll => "simplereenroll",
        EstOperation.ServerKeyGen => "serverkeygen",
        _ => operation.ToString().ToLower(CultureInfo.InvariantCulture),
    };

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "issued operational certificate serial {Serial} to {DeviceId} ({Operation}), valid until {NotAfter:u}")]
    private static partial void LogIssued(ILogger logger, string serial, string deviceId, string operation, DateTime notAfter);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "heartbeat key {KeyId} given to {DeviceId} for certificate serial {Serial}")]
    private static partial void LogHeartbeatKey(ILogger logger, string deviceId, string keyId, string serial);
}

/// <summary>An issued certificate and, for serverkeygen, the private key the gateway made for it.</summary>
/// <param name="Certificate">The operational certificate (public).</param>
/// <param name="GeneratedKey">The server-generated key (serverkeygen only): sent once, never stored; dispose it.</param>
public sealed record EnrolmentResult(X509Certificate2 Certificate, ECDsa? GeneratedKey) : IDisposable
{
    /// <summary>Releases the certificate and the key.</summary>
    public void Dispose()
    {
        Certificate.Dispose();
        GeneratedKey?.Dispose();
    }
}
