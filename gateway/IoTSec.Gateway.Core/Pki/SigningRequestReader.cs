using System;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace IoTSec.Gateway.Core.Pki;

/// <summary>
/// Reads a PKCS#10 request from outside (a device over EST, a gateway at the CA ceremony) and
/// checks its self-signature — the proof that the requester holds the private key. Every
/// refusal is a <see cref="SigningRequestRejectedException"/> with a typed reason; no other
/// exception escapes for any input bytes (the fuzz-style tests hold it to that).
/// </summary>
public static class SigningRequestReader
{
    /// <summary>Largest request accepted; a P-256 request is about 250 bytes, an RSA-4096 one under 2 KiB.</summary>
    public const int MaxLength = 16 * 1024;

    /// <summary>Smallest RSA modulus accepted.</summary>
    public const int MinRsaBits = 2048;

    /// <summary>Largest RSA modulus accepted (bounds the verification cost an attacker can ask for).</summary>
    public const int MaxRsaBits = 4096;

    private const string PemLabel = "CERTIFICATE REQUEST";

    /// <summary>ECDSA with SHA-2, RSA PKCS#1 v1.5 with SHA-2, RSASSA-PSS; no SHA-1, no MD5.</summary>
    private static readonly string[] AcceptedSignatureAlgorithms =
    [
        "1.2.840.10045.4.3.2", "1.2.840.10045.4.3.3", "1.2.840.10045.4.3.4",
        "1.2.840.113549.1.1.11", "1.2.840.113549.1.1.12", "1.2.840.113549.1.1.13",
        "1.2.840.113549.1.1.10",
    ];

    /// <summary>Reads a DER-encoded request.</summary>
    /// <exception cref="SigningRequestRejectedException">Malformed, bad key, or bad signature.</exception>
    public static VerifiedSigningRequest ReadDer(ReadOnlySpan<byte> der)
    {
        if (der.IsEmpty || der.Length > MaxLength)
        {
            throw Reject(SigningRequestRejection.Malformed, $"a signing request is 1 to {MaxLength} bytes, got {der.Length}");
        }

        // First parse without the signature check, so a damaged encoding and a wrong
        // signature get different reasons.
        CertificateRequest parsed;
        try
        {
            parsed = CertificateRequest.LoadSigningRequest(
                der, HashAlgorithmName.SHA256, out var consumed, CertificateRequestLoadOptions.SkipSignatureValidation);
            if (consumed != der.Length)
            {
                throw Reject(SigningRequestRejection.Malformed, $"{der.Length - consumed} trailing bytes after the signing request");
            }
        }
        catch (Exception ex) when (IsDecodingFailure(ex))
        {
            throw new SigningRequestRejectedException(SigningRequestRejection.Malformed, "not a DER PKCS#10 signing request: " + ex.Message, ex);
        }

        var key = ClassifyKey(parsed.PublicKey);
        var signatureAlgorithm = ReadSignatureAlgorithm(der);
        if (!AcceptedSignatureAlgorithms.Contains(signatureAlgorithm))
        {
            throw Reject(SigningRequestRejection.SignatureInvalid, $"unsupported signature algorithm {signatureAlgorithm}");
        }

        try
        {
            // Default options verify the request's self-signature with its own public key.
            CertificateRequest.LoadSigningRequest(der, HashAlgorithmName.SHA256, out _, CertificateRequestLoadOptions.Default);
        }
        catch (Exception ex) when (IsDecodingFailure(ex) || ex is NotSupportedException)
        {
            // NotSupportedException: .NET's answer to an algorithm/key combination it cannot verify.
            throw new SigningRequestRejectedException(
                SigningRequestRejection.SignatureInvalid, "the signing request's signature does not verify with its public key", ex);
        }

        return new VerifiedSigningRequest(parsed.SubjectName, parsed.PublicKey, key);
    }

    /// <summary>Reads a PEM request ("-----BEGIN CERTIFICATE REQUEST-----").</summary>
    /// <exception cref="SigningRequestRejectedException">No such PEM block, or the request is refused.</exception>
    public static VerifiedSigningRequest ReadPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        if (pem.Length > MaxLength * 2)
        {
            throw Reject(SigningRequestRejection.Malformed, "the PEM text is too large to be a signing request");
        }

        foreach (var (label, der) in PemBlocks(pem))
        {
            if (label == PemLabel || label == "NEW CERTIFICATE REQUEST")
            {
                return ReadDer(der);
            }
        }

        throw Reject(SigningRequestRejection.Malformed, "no '-----BEGIN CERTIFICATE REQUEST-----' block found");
    }

    /// <summary>Reads a request given as PEM text or DER bytes (a file from the ceremony).</summary>
    public static VerifiedSigningRequest Read(ReadOnlySpan<byte> bytes)
    {
        // DER starts with a SEQUENCE tag; PEM is text.
        if (!bytes.IsEmpty && bytes[0] == 0x30)
        {
            return ReadDer(bytes);
        }

        if (bytes.Length > MaxLength * 2)
        {
            throw Reject(SigningRequestRejection.Malformed, "the file is too large to be a signing request");
        }

        return ReadPem(Encoding.ASCII.GetString(bytes));
    }

    private static SigningRequestKey ClassifyKey(PublicKey publicKey)
    {
        try
        {
            switch (publicKey.Oid.Value)
            {
                case PkiOids.EcPublicKey:
                    // Name the curve before importing: .NET throws PlatformNotSupportedException
                    // for a curve OpenSSL does not know, which a damaged CSR easily names.
                    var curveOid = ReadCurveOid(publicKey);
                    if (curveOid is not (PkiOids.P256 or PkiOids.P384))
                    {
                        throw Reject(SigningRequestRejection.UnsupportedKey, $"only the named curves P-256 and P-384 are accepted, not {curveOid}");
                    }

                    using (var ec = publicKey.GetECDsaPublicKey())
                    {
                        if (ec is null)
                        {
                            break;
                        }

                        var curve = ec.ExportParameters(false).Curve;
                        if (curve.IsNamed && curve.Oid.Value == PkiOids.P256)
                        {
                            return new SigningRequestKey(SigningRequestKeyAlgorithm.EcdsaP256, 256);
                        }

                        if (curve.IsNamed && curve.Oid.Value == PkiOids.P384)
                        {
                            return new SigningRequestKey(SigningRequestKeyAlgorithm.EcdsaP384, 384);
                        }

                        throw Reject(SigningRequestRejection.UnsupportedKey, "only the named curves P-256 and P-384 are accepted");
                    }

                case PkiOids.RsaEncryption:
                    using (var rsa = publicKey.GetRSAPublicKey())
                    {
                        if (rsa is null)
                        {
                            break;
                        }

                        if (rsa.KeySize < MinRsaBits || rsa.KeySize > MaxRsaBits)
                        {
                            throw Reject(SigningRequestRejection.UnsupportedKey, $"RSA keys of {MinRsaBits} to {MaxRsaBits} bits are accepted, got {rsa.KeySize}");
                        }

                        return new SigningRequestKey(SigningRequestKeyAlgorithm.Rsa, rsa.KeySize);
                    }
            }
        }
        catch (Exception ex) when (IsDecodingFailure(ex))
        {
            throw new SigningRequestRejectedException(SigningRequestRejection.Malformed, "the signing request's public key is not valid: " + ex.Message, ex);
        }

        throw Reject(SigningRequestRejection.UnsupportedKey, $"unsupported public key algorithm {publicKey.Oid.Value}");
    }

    /// <summary>The signatureAlgorithm OID of a CertificationRequest (RFC 2986: SEQUENCE { info, algorithm, signature }).</summary>
    private static string ReadSignatureAlgorithm(ReadOnlySpan<byte> der)
    {
        try
        {
            var outer = new AsnReader(der.ToArray(), AsnEncodingRules.DER).ReadSequence();
            outer.ReadEncodedValue();
            var algorithm = outer.ReadSequence();
            return algorithm.ReadObjectIdentifier();
        }
        catch (AsnContentException ex)
        {
            throw new SigningRequestRejectedException(SigningRequestRejection.Malformed, "the signature algorithm is not readable", ex);
        }
    }

    /// <summary>The named curve of an EC key (RFC 5480 ECParameters: namedCurve only; explicit curves are refused).</summary>
    private static string ReadCurveOid(PublicKey publicKey)
    {
        var parameters = publicKey.EncodedParameters?.RawData;
        if (parameters is null || parameters.Length == 0)
        {
            throw Reject(SigningRequestRejection.Malformed, "the EC public key has no curve parameters");
        }

        var reader = new AsnReader(parameters, AsnEncodingRules.DER);
        if (!reader.PeekTag().HasSameClassAndValue(Asn1Tag.ObjectIdentifier))
        {
            throw Reject(SigningRequestRejection.UnsupportedKey, "only named curves are accepted (explicit curve parameters are not)");
        }

        var oid = reader.ReadObjectIdentifier();
        reader.ThrowIfNotEmpty();
        return oid;
    }

    /// <summary>The exceptions .NET's decoders raise for bad input; anything else is a bug and propagates.</summary>
    private static bool IsDecodingFailure(Exception ex) =>
        ex is CryptographicException or AsnContentException or FormatException;

    private static SigningRequestRejectedException Reject(SigningRequestRejection reason, string message) => new(reason, message);

    private static System.Collections.Generic.IEnumerable<(string Label, byte[] Der)> PemBlocks(string text)
    {
        var remaining = text.AsMemory();
        while (PemEncoding.TryFind(remaining.Span, out var fields))
        {
            var label = remaining.Span[fields.Label].ToString();
            var der = new byte[fields.DecodedDataLength];
            if (!Convert.TryFromBase64Chars(remaining.Span[fields.Base64Data], der, out var written))
            {
                throw Reject(SigningRequestRejection.Malformed, "the PEM block's base64 is damaged");
            }

            yield return (label, der[..written]);
            remaining = remaining[fields.Location.End..];
        }
    }
}
