using System;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using IoTSec.Gateway.Core.Inventory;

namespace IoTSec.Gateway.Core.Pki;

/// <summary>
/// The CRL of this gateway's intermediate (RFC 5280 section 5), signed by the DeviceCa key (in
/// the TPM) and built from the inventory: every revoked certificate the intermediate issued.
/// Rebuilt on the next request after a revocation is committed (the
/// <see cref="RevocationEvents"/> subscription, which also carries revocations made by the
/// administration verbs through the daemon's poller), and before half its validity has run.
/// </summary>
/// <remarks>
/// A CRL covers one issuer: certificates issued by a replaced gateway's intermediate cannot be
/// listed here (that key is gone). The gateway itself still refuses them from the inventory.
/// </remarks>
public sealed class RevocationListPublisher : IDisposable
{
    /// <summary>Default time from thisUpdate to nextUpdate.</summary>
    public static readonly TimeSpan DefaultValidity = TimeSpan.FromDays(1);

    private readonly GatewayCertificateAuthority _authority;
    private readonly DeviceInventory _inventory;
    private readonly TimeProvider _time;
    private readonly TimeSpan _validity;
    private readonly RevocationSubscription _changes;
    private readonly Lock _gate = new();
    private byte[]? _current;
    private DateTimeOffset _builtAt;
    private BigInteger _lastNumber;

    /// <summary>Publishes the CRL of <paramref name="authority"/>'s intermediate from <paramref name="inventory"/>.</summary>
    public RevocationListPublisher(GatewayCertificateAuthority authority, DeviceInventory inventory, TimeProvider? timeProvider = null, TimeSpan? validity = null)
    {
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentNullException.ThrowIfNull(inventory);
        _authority = authority;
        _inventory = inventory;
        _time = timeProvider ?? TimeProvider.System;
        _validity = validity ?? DefaultValidity;
        if (_validity <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(validity), "a CRL's validity is positive");
        }

        _changes = inventory.Revocations.Subscribe();
    }

    /// <summary>How many times a CRL was signed (for tests and metrics).</summary>
    public int Builds { get; private set; }

    /// <summary>The current CRL (DER); rebuilt when revocations changed or it is half way to nextUpdate.</summary>
    public byte[] Current()
    {
        lock (_gate)
        {
            var changed = false;
            while (_changes.Reader.TryRead(out _))
            {
                changed = true;
            }

            var now = _time.GetUtcNow();
            if (_current is null || changed || now - _builtAt >= _validity / 2)
            {
                _current = Build(now);
                _builtAt = now;
            }

            return (byte[])_current.Clone();
        }
    }

    /// <summary>The current CRL as PEM ("X509 CRL").</summary>
    public string CurrentPem() => PemEncoding.WriteString("X509 CRL", Current());

    /// <summary>Ends the subscription.</summary>
    public void Dispose() => _changes.Dispose();

    private byte[] Build(DateTimeOffset now)
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var entry in _inventory.ListRevokedCertificates(_authority.Intermediate.SubjectName.Name))
        {
            builder.AddEntry(
                Convert.FromHexString(entry.SerialHex),
                entry.RevokedAt,
                entry.Decommissioned ? X509RevocationReason.CessationOfOperation : null);
        }

        // CRL numbers must only grow (RFC 5280 5.2.3): milliseconds since the epoch survive a
        // restart without stored state; +1 covers two builds in one millisecond or a clock step back.
        var number = BigInteger.Max(_lastNumber + 1, new BigInteger(now.ToUnixTimeMilliseconds()));
        _lastNumber = number;
        var crl = builder.Build(
            _authority.Intermediate.SubjectName,
            X509SignatureGenerator.CreateForECDsa(_authority.SigningKey),
            number,
            now + _validity,
            HashAlgorithmName.SHA256,
            X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_authority.Intermediate, includeKeyIdentifier: true, includeIssuerAndSerial: false),
            now - PkiDefaults.ClockSkewAllowance);
        Builds++;
        return crl;
    }
}
