using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using IoTSec.Gateway.Core.Pki;
using MQTTnet;

namespace IoTSec.Gateway.Forwarder;

/// <summary>
/// The certificate the gateway presents upstream. By default a fresh in-memory P-256 key whose
/// certificate (CN = the client id, clientAuth) the gateway's own CA issues for
/// ClientCertificateValidity and reissues after two thirds of it: Debian 12's tpm2-openssl
/// 1.1.1 cannot do TLS with the TPM key (ARCHITECTURE), so the TPM key certifies a short-lived
/// one instead. Upstream trusts the gateway's intermediate (or the root), so every rotated
/// certificate is accepted without registering it. Or a certificate and key from files, for
/// an upstream that registers one certificate per thing.
/// </summary>
public sealed class UpstreamClientIdentity : IMqttClientCertificatesProvider, IDisposable
{
    private readonly Func<X509Certificate2Collection> _issue;
    private readonly TimeProvider _time;
    private readonly bool _rotates;
    private readonly Lock _gate = new();
    private X509Certificate2Collection _current;
    private DateTimeOffset _renewAt;

    private UpstreamClientIdentity(Func<X509Certificate2Collection> issue, bool rotates, TimeProvider time)
    {
        _issue = issue;
        _rotates = rotates;
        _time = time;
        _current = issue();
        _renewAt = RenewAtOf(_current[0]);
    }

    /// <summary>The certificate presented now (with its key).</summary>
    public X509Certificate2 Certificate
    {
        get
        {
            lock (_gate)
            {
                return _current[0];
            }
        }
    }

    /// <summary>True when the certificate should be reissued (and the link reconnected with it).</summary>
    public bool RenewDue => _rotates && _time.GetUtcNow() >= _renewAt;

    /// <summary>Issued by the gateway's CA for <paramref name="clientId"/>.</summary>
    public static UpstreamClientIdentity Issued(GatewayCertificateAuthority authority, string clientId, TimeSpan validity, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(authority);
        var time = timeProvider ?? TimeProvider.System;
        var issuer = new DeviceCertificateIssuer(authority, new DeviceCertificateOptions { Validity = validity }, time);
        return new UpstreamClientIdentity(() => Issue(issuer, clientId), rotates: true, time);
    }

    /// <summary>From PEM files (the certificate file may carry the chain after the certificate).</summary>
    public static UpstreamClientIdentity FromFiles(string certificateFile, string keyFile, TimeProvider? timeProvider = null) =>
        new(() =>
        {
            var chain = new X509Certificate2Collection();
            chain.ImportFromPemFile(certificateFile);
            var leaf = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
            var result = new X509Certificate2Collection(leaf);
            for (var i = 1; i < chain.Count; i++)
            {
                result.Add(chain[i]);
            }

            return result;
        }, rotates: false, timeProvider ?? TimeProvider.System);

    /// <summary>Reissues now.</summary>
    public void Renew()
    {
        var fresh = _issue();
        lock (_gate)
        {
            // The previous one stays alive for the garbage collector: a handshake may hold it.
            _current = fresh;
            _renewAt = RenewAtOf(fresh[0]);
        }
    }

    /// <inheritdoc />
    public X509CertificateCollection GetCertificates()
    {
        lock (_gate)
        {
            return new X509CertificateCollection(_current);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var certificate in _current)
            {
                certificate.Dispose();
            }
        }
    }

    private static X509Certificate2Collection Issue(DeviceCertificateIssuer issuer, string clientId)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + clientId, key, HashAlgorithmName.SHA256);
        var verified = SigningRequestReader.ReadDer(request.CreateSigningRequest());
        using var issued = issuer.IssueDeviceCertificate(clientId, verified);
        var withKey = issued.CopyWithPrivateKey(key);
        var result = new X509Certificate2Collection(withKey);
        result.AddRange(issuer.Authority.IntermediateChain);
        return result;
    }

    private DateTimeOffset RenewAtOf(X509Certificate2 certificate)
    {
        var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime()) + PkiDefaults.ClockSkewAllowance;
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
        return notBefore + ((notAfter - notBefore) * 2 / 3);
    }
}
