using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography.X509Certificates;

namespace IoTSec.Gateway.Core.Pki;

/// <summary>
/// The gateway's one rule for device client certificates: accepted when it chains to the
/// offline root through a gateway intermediate the root signed (one carrying the
/// gateway-intermediate certificate policy), neither is revoked nor out of its
/// validity, and the leaf is a clientAuth end-entity certificate whose CN is a device id.
/// Any gateway intermediate under the root counts — a replaced gateway accepts the
/// operational certificates its predecessor issued (ADR 0006).
/// </summary>
/// <remarks>
/// Chain building trusts nothing but the root (<see cref="X509ChainTrustMode.CustomRootTrust"/>),
/// fetches nothing (no AIA downloads, no CRL/OCSP: <see cref="X509RevocationMode.NoCheck"/>)
/// and asks <see cref="IRevocationList"/> instead, in-process.
/// </remarks>
public sealed class ClientCertificateValidator
{
    private const X509ChainStatusFlags TimeFlags = X509ChainStatusFlags.NotTimeValid | X509ChainStatusFlags.NotTimeNested;

    private readonly X509Certificate2 _root;
    private readonly IRevocationList _revocations;
    private readonly X509Certificate2[] _knownIntermediates;
    private readonly TimeProvider _time;

    /// <summary>Validates against <paramref name="root"/>.</summary>
    /// <param name="root">The offline root certificate.</param>
    /// <param name="revocations">The gateway's revocation list.</param>
    /// <param name="knownIntermediates">
    /// Intermediates to use when a device sends only its leaf: this gateway's own, and earlier
    /// gateways' from the inventory. Knowing one does not trust it — it must still be signed by the root.
    /// </param>
    /// <param name="timeProvider">The clock (tests move it).</param>
    public ClientCertificateValidator(
        X509Certificate2 root, IRevocationList revocations, IEnumerable<X509Certificate2>? knownIntermediates = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(revocations);
        _root = root;
        _revocations = revocations;
        _knownIntermediates = knownIntermediates?.ToArray() ?? [];
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>
    /// Validates a client's certificate. <paramref name="presentedCertificates"/> are the
    /// extra certificates the client sent in its TLS Certificate message (from
    /// <c>X509Chain.ChainPolicy.ExtraStore</c> in SslStream's validation callback); they are
    /// candidates for the path, never trusted by themselves.
    /// </summary>
    public ClientCertificateVerdict Validate(X509Certificate2? certificate, X509Certificate2Collection? presentedCertificates = null)
    {
        if (certificate is null)
        {
            return ClientCertificateVerdict.Refuse(ClientCertificateRejection.NoCertificate, "no client certificate was presented");
        }

        var now = _time.GetUtcNow();
        using var chain = new X509Chain();
        chain.ChainPolicy = GatewayCertificateAuthority.AnchoredPolicy(_root, now);
        if (presentedCertificates is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(presentedCertificates);
        }

        chain.ChainPolicy.ExtraStore.AddRange(_knownIntermediates);
        chain.Build(certificate);

        var flags = AllStatusFlags(chain);
        if ((flags & ~TimeFlags) != X509ChainStatusFlags.NoError)
        {
            return ClientCertificateVerdict.Refuse(ClientCertificateRejection.UntrustedChain, "no valid path to the offline root: " + Describe(chain));
        }

        var elements = chain.ChainElements;
        if (elements.Count != 3)
        {
            return ClientCertificateVerdict.Refuse(
                ClientCertificateRejection.WrongChainLength,
                $"the path to the root has {elements.Count} certificates; a device certificate needs exactly 3 (device, gateway intermediate, root)");
        }

        var leaf = elements[0].Certificate;
        var intermediate = elements[1].Certificate;
        var anchor = elements[2].Certificate;
        if (!anchor.RawDataMemory.Span.SequenceEqual(_root.RawDataMemory.Span) || !GatewayCertificateAuthority.IsCa(intermediate))
        {
            return ClientCertificateVerdict.Refuse(ClientCertificateRejection.UntrustedChain, "the path does not end at the offline root through a CA intermediate");
        }

        if (!CertificatePolicies.Contains(intermediate, CertificatePolicies.GatewayIntermediate))
        {
            // A station CA (birth certificates) or any other CA under the root: its
            // certificates are not operational certificates.
            return ClientCertificateVerdict.Refuse(
                ClientCertificateRejection.UntrustedChain, $"'{intermediate.Subject}' is not a gateway intermediate (it lacks the gateway-intermediate policy)");
        }

        if (IsRevoked(anchor, intermediate))
        {
            return ClientCertificateVerdict.Refuse(
                ClientCertificateRejection.Revoked, $"the gateway intermediate '{intermediate.Subject}' (serial {intermediate.SerialNumber}) is revoked");
        }

        if (IsRevoked(intermediate, leaf))
        {
            return ClientCertificateVerdict.Refuse(ClientCertificateRejection.Revoked, $"certificate '{leaf.Subject}' (serial {leaf.SerialNumber}) is revoked");
        }

        foreach (var element in elements)
        {
            var cert = element.Certificate;
            if (now < cert.NotBefore.ToUniversalTime())
            {
                return ClientCertificateVerdict.Refuse(
                    ClientCertificateRejection.NotYetValid, $"'{cert.Subject}' is not valid before {cert.NotBefore.ToUniversalTime():u}");
            }

            if (now > cert.NotAfter.ToUniversalTime())
            {
                return ClientCertificateVerdict.Refuse(ClientCertificateRejection.Expired, $"'{cert.Subject}' expired on {cert.NotAfter.ToUniversalTime():u}");
            }
        }

        if ((flags & TimeFlags) != X509ChainStatusFlags.NoError)
        {
            return ClientCertificateVerdict.Refuse(ClientCertificateRejection.Expired, "outside its validity: " + Describe(chain));
        }

        var usage = CheckClientUsage(leaf);
        if (usage is not null)
        {
            return ClientCertificateVerdict.Refuse(ClientCertificateRejection.WrongUsage, usage);
        }

        var deviceId = leaf.GetNameInfo(X509NameType.SimpleName, false);
        if (!DeviceId.IsValid(deviceId))
        {
            return ClientCertificateVerdict.Refuse(ClientCertificateRejection.InvalidDeviceId, "the certificate's CN is not a device id ([A-Za-z0-9._-]{1,64})");
        }

        // A copy: the chain's element certificates are released with the chain.
        return ClientCertificateVerdict.Accept(deviceId, X509CertificateLoader.LoadCertificate(intermediate.RawData));
    }

    /// <summary>The chain's problems in one line, for messages.</summary>
    internal static string Describe(X509Chain chain)
    {
        var parts = new List<string>();
        foreach (var status in chain.ChainStatus)
        {
            parts.Add($"{status.Status} ({status.StatusInformation.Trim()})");
        }

        foreach (var element in chain.ChainElements)
        {
            foreach (var status in element.ChainElementStatus)
            {
                parts.Add($"{element.Certificate.Subject}: {status.Status}");
            }
        }

        return parts.Count == 0 ? "no error" : string.Join("; ", parts.Distinct());
    }

    /// <summary>Null when the leaf may authenticate a client, else why not.</summary>
    private static string? CheckClientUsage(X509Certificate2 leaf)
    {
        var clientAuth = false;
        foreach (var extension in leaf.Extensions)
        {
            switch (extension)
            {
                case X509BasicConstraintsExtension { CertificateAuthority: true }:
                    return "a CA certificate cannot authenticate a device";
                case X509KeyUsageExtension keyUsage when (keyUsage.KeyUsages & X509KeyUsageFlags.DigitalSignature) == 0:
                    return "the key usage does not include digitalSignature";
                case X509EnhancedKeyUsageExtension eku:
                    foreach (var oid in eku.EnhancedKeyUsages)
                    {
                        clientAuth |= oid.Value == PkiOids.ClientAuth;
                    }

                    break;
            }
        }

        // Strict: no EKU at all means "any purpose" to RFC 5280, but a device certificate
        // from our intermediates always names clientAuth, so its absence is refused.
        return clientAuth ? null : "the certificate is not for client authentication (no clientAuth extended key usage)";
    }

    private bool IsRevoked(X509Certificate2 issuer, X509Certificate2 certificate) =>
        _revocations.IsRevoked(RevocationIssuerId.Of(issuer), certificate.SerialNumberBytes.ToArray());

    private static X509ChainStatusFlags AllStatusFlags(X509Chain chain)
    {
        var flags = X509ChainStatusFlags.NoError;
        foreach (var status in chain.ChainStatus)
        {
            flags |= status.Status;
        }

        foreach (var element in chain.ChainElements)
        {
            foreach (var status in element.ChainElementStatus)
            {
                flags |= status.Status;
            }
        }

        return flags;
    }
}
