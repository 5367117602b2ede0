using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography.X509Certificates;

namespace IoTSec.Gateway.Est;

/// <summary>
/// Checks a birth certificate — the identity a device gets at manufacturing and uses for its
/// first enrolment — against the configured birth trust anchors (the manufacturer's CA; by
/// default the offline root). Only the chain is checked here; which device the certificate
/// belongs to is the inventory's answer (its SHA-256 fingerprint was imported with the device).
/// </summary>
/// <remarks>
/// Like the operational rule, chain building trusts nothing but the configured anchors,
/// fetches nothing, and leaves revocation to the inventory. The leaf must be an end entity;
/// when it states a key usage or an extended key usage, those must allow client authentication.
/// </remarks>
public sealed class BirthCertificateValidator
{
    private const X509ChainStatusFlags TimeFlags = X509ChainStatusFlags.NotTimeValid | X509ChainStatusFlags.NotTimeNested;
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    private readonly X509Certificate2[] _anchors;
    private readonly TimeProvider _time;

    /// <summary>Trusts <paramref name="anchors"/> (at least one CA certificate).</summary>
    public BirthCertificateValidator(IEnumerable<X509Certificate2> anchors, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(anchors);
        _anchors = anchors.ToArray();
        if (_anchors.Length == 0)
        {
            throw new ArgumentException("at least one birth trust anchor is needed", nameof(anchors));
        }

        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The trusted birth anchors.</summary>
    public IReadOnlyList<X509Certificate2> Anchors => _anchors;

    /// <summary>Checks <paramref name="certificate"/>; <paramref name="presentedCertificates"/> are path candidates the client sent.</summary>
    public BirthCertificateVerdict Validate(X509Certificate2 certificate, X509Certificate2Collection? presentedCertificates = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var now = _time.GetUtcNow();
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.CustomTrustStore.AddRange(_anchors);
        if (presentedCertificates is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(presentedCertificates);
        }

        chain.Build(certificate);
        var flags = X509ChainStatusFlags.NoError;
        foreach (var element in chain.ChainElements)
        {
            foreach (var status in element.ChainElementStatus)
            {
                flags |= status.Status;
            }
        }

        foreach (var status in chain.ChainStatus)
        {
            flags |= status.Status;
        }

        if ((flags & ~TimeFlags) != X509ChainStatusFlags.NoError)
        {
            return BirthCertificateVerdict.Refuse(EstRefusal.UntrustedCertificate, $"no valid path to a birth trust anchor ({flags})");
        }

        var elements = chain.ChainElements;
        if (elements.Count < 2)
        {
            return BirthCertificateVerdict.Refuse(EstRefusal.UntrustedCertificate, "a trust anchor itself is not a birth certificate");
        }

        foreach (var element in elements)
        {
            var cert = element.Certificate;
            if (now < cert.NotBefore.ToUniversalTime() || now > cert.NotAfter.ToUniversalTime())
            {
                return BirthCertificateVerdict.Refuse(
                    EstRefusal.CertificateOutsideValidity,
                    $"'{cert.Subject}' is valid from {cert.NotBefore.ToUniversalTime():u} to {cert.NotAfter.ToUniversalTime():u}");
            }
        }

        if ((flags & TimeFlags) != X509ChainStatusFlags.NoError)
        {
            return BirthCertificateVerdict.Refuse(EstRefusal.CertificateOutsideValidity, "outside its validity: " + flags);
        }

        var usage = CheckLeaf(certificate);
        return usage is null
            ? BirthCertificateVerdict.Accept()
            : BirthCertificateVerdict.Refuse(EstRefusal.UntrustedCertificate, usage);
    }

    private static string? CheckLeaf(X509Certificate2 leaf)
    {
        foreach (var extension in leaf.Extensions)
        {
            switch (extension)
            {
                case X509BasicConstraintsExtension { CertificateAuthority: true }:
                    return "a CA certificate is not a birth certificate";
                case X509KeyUsageExtension keyUsage when (keyUsage.KeyUsages & X509KeyUsageFlags.DigitalSignature) == 0:
                    return "the key usage does not include digitalSignature";
                case X509EnhancedKeyUsageExtension eku when !eku.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Any(oid => oid.Value == ClientAuthOid):
                    return "the extended key usage does not include clientAuth";
            }
        }

        return null;
    }
}

/// <summary>The outcome of <see cref="BirthCertificateValidator.Validate"/>.</summary>
public sealed class BirthCertificateVerdict
{
    private static readonly BirthCertificateVerdict Accepted = new(null, "accepted");

    private BirthCertificateVerdict(EstRefusal? reason, string detail)
    {
        Reason = reason;
        Detail = detail;
    }

    /// <summary>True when the chain is good.</summary>
    public bool IsAccepted => Reason is null;

    /// <summary>Why not, when refused.</summary>
    public EstRefusal? Reason { get; }

    /// <summary>For logs (never sent to the client).</summary>
    public string Detail { get; }

    internal static BirthCertificateVerdict Accept() => Accepted;

    internal static BirthCertificateVerdict Refuse(EstRefusal reason, string detail) => new(reason, detail);
}
