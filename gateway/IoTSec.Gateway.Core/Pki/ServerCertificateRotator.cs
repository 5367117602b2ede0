using System;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;

namespace IoTSec.Gateway.Core.Pki;

/// <summary>
/// Keeps the gateway's current TLS server certificate: a fresh in-memory P-256 key, certified
/// by the gateway intermediate for a day, reissued once two thirds of its life have passed.
/// Listeners read <see cref="Current"/> or <see cref="CurrentContext"/> per handshake
/// (Kestrel's <c>ServerCertificateSelector</c>, MQTTnet's certificate provider), so rotation
/// needs no restart and touches no established connection: a TLS session does not use the
/// certificate again after its handshake.
/// </summary>
/// <remarks>
/// Why a software key: with Debian 12's tpm2-openssl 1.1.1 a TLS handshake with the TPM key
/// fails (ARCHITECTURE); the TPM key certifies this short-lived key instead, so a stolen one
/// is worth a day. Reissue happens off the handshake path on a thread-pool task once due;
/// only when a certificate is about to expire (rotation failing for hours) does a handshake
/// wait for it.
/// </remarks>
public sealed class ServerCertificateRotator : IDisposable
{
    /// <summary>Fraction of the lifetime after which a certificate is reissued.</summary>
    public const double RenewalFraction = 2.0 / 3.0;

    private static readonly TimeSpan RetryDelay = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan HardDeadlineMargin = TimeSpan.FromMinutes(5);

    private readonly DeviceCertificateIssuer _issuer;
    private readonly ServerCertificateOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _rotation = new();
    private Generation _current;
    private Generation? _previous;
    private DateTimeOffset _nextAttempt;
    private int _backgroundRunning;
    private long _rotationCount;
    private bool _disposed;

    /// <summary>Issues the first certificate at once (so a misconfigured CA fails the start, not the first handshake).</summary>
    public ServerCertificateRotator(DeviceCertificateIssuer issuer, ServerCertificateOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        _issuer = issuer;
        _options = options ?? new ServerCertificateOptions();
        _options.Validate();
        _time = timeProvider ?? TimeProvider.System;
        _current = Issue();
    }

    /// <summary>Raised after each rotation, with the new certificate (for logs: subject, serial, notAfter).</summary>
    public event EventHandler<ServerCertificateRotatedEventArgs>? Rotated;

    /// <summary>Raised when a reissue failed (retried a minute later); the host logs it loudly.</summary>
    public event EventHandler<ServerCertificateRotationFailedEventArgs>? RotationFailed;

    /// <summary>
    /// The current certificate with its private key (rotates first when due). Prefer
    /// <see cref="CurrentContext"/> wherever a listener accepts one: handed only this
    /// certificate, SslStream looks for the intermediate in the system stores, does not find
    /// it, and sends the leaf alone — which devices that trust only the root refuse.
    /// </summary>
    public X509Certificate2 Current => Acquire().Certificate;

    /// <summary>The current certificate with the intermediate to send after it, for <c>SslServerAuthenticationOptions.ServerCertificateContext</c>.</summary>
    public SslStreamCertificateContext CurrentContext => Acquire().Context;

    /// <summary>The certificates a server sends after its own (the gateway intermediate).</summary>
    public X509Certificate2Collection Chain => _issuer.Authority.IntermediateChain;

    /// <summary>When the current certificate is due for reissue.</summary>
    public DateTimeOffset RenewAt => Volatile.Read(ref _current).RenewAt;

    /// <summary>How many times the certificate was reissued since start.</summary>
    public long RotationCount => Interlocked.Read(ref _rotationCount);

    /// <summary>Reissues now, whatever the age of the current certificate (an operator's request, a test).</summary>
    public void Rotate()
    {
        lock (_rotation)
        {
            RotateLocked();
        }
    }

    /// <summary>Reissues when due; returns true when it did. For a host timer that rotates ahead of traffic.</summary>
    public bool RotateIfDue()
    {
        lock (_rotation)
        {
            var now = _time.GetUtcNow();
            if (_disposed || now < Volatile.Read(ref _current).RenewAt || now < _nextAttempt)
            {
                return false;
            }

            try
            {
                RotateLocked();
                return true;
            }
            catch (Exception ex) when (ex is CryptographicException or GatewayPkiException or Keys.GatewayKeyStoreException)
            {
                _nextAttempt = now + RetryDelay;
                RotationFailed?.Invoke(this, new ServerCertificateRotationFailedEventArgs(ex));
                return false;
            }
        }
    }

    /// <summary>Releases the keys of the current and previous certificates.</summary>
    public void Dispose()
    {
        lock (_rotation)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _previous?.Dispose();
            _current.Dispose();
        }
    }

    private Generation Acquire()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var generation = Volatile.Read(ref _current);
        var now = _time.GetUtcNow();
        if (now < generation.RenewAt)
        {
            return generation;
        }

        if (now >= generation.HardDeadline)
        {
            // Rotation has been failing for hours, or the process was suspended: this
            // handshake waits rather than serve a certificate about to expire.
            RotateIfDue();
            return Volatile.Read(ref _current);
        }

        if (Interlocked.CompareExchange(ref _backgroundRunning, 1, 0) == 0)
        {
            _ = Task.Run(() =>
            {
                try
                {
                    RotateIfDue();
                }
                finally
                {
                    Volatile.Write(ref _backgroundRunning, 0);
                }
            });
        }

        return generation;
    }

    private void RotateLocked()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var fresh = Issue();

        // Keep the one being replaced alive: a handshake may have read it a moment ago.
        // The one before it is at least a rotation period old and no longer handed out.
        _previous?.Dispose();
        _previous = Volatile.Read(ref _current);
        Volatile.Write(ref _current, fresh);
        _nextAttempt = DateTimeOffset.MinValue;
        Interlocked.Increment(ref _rotationCount);
        Rotated?.Invoke(this, new ServerCertificateRotatedEventArgs(fresh.Certificate));
    }

    private Generation Issue()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var issued = _issuer.IssueServerCertificate(new PublicKey(key), _options);
        var withKey = issued.CopyWithPrivateKey(key);
        var notBefore = new DateTimeOffset(withKey.NotBefore.ToUniversalTime());
        var notAfter = new DateTimeOffset(withKey.NotAfter.ToUniversalTime());

        // Two thirds of the life counted from the moment of issue (notBefore is backdated).
        var issuedAt = notBefore + PkiDefaults.ClockSkewAllowance;
        var renewAt = issuedAt + ((notAfter - issuedAt) * RenewalFraction);
        var context = SslStreamCertificateContext.Create(withKey, _issuer.Authority.IntermediateChain, offline: true);
        return new Generation(withKey, context, renewAt, notAfter - HardDeadlineMargin);
    }

    private sealed class Generation(X509Certificate2 certificate, SslStreamCertificateContext context, DateTimeOffset renewAt, DateTimeOffset hardDeadline)
        : IDisposable
    {
        public X509Certificate2 Certificate { get; } = certificate;

        public SslStreamCertificateContext Context { get; } = context;

        public DateTimeOffset RenewAt { get; } = renewAt;

        public DateTimeOffset HardDeadline { get; } = hardDeadline;

        public void Dispose() => Certificate.Dispose();
    }
}

/// <summary>Data of <see cref="ServerCertificateRotator.Rotated"/>.</summary>
public sealed class ServerCertificateRotatedEventArgs(X509Certificate2 certificate) : EventArgs
{
    /// <summary>The new certificate.</summary>
    public X509Certificate2 Certificate { get; } = certificate;
}

/// <summary>Data of <see cref="ServerCertificateRotator.RotationFailed"/>.</summary>
public sealed class ServerCertificateRotationFailedEventArgs(Exception error) : EventArgs
{
    /// <summary>Why the reissue failed.</summary>
    public Exception Error { get; } = error;
}
