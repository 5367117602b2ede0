using System;
using IoTSec.Protocol.Crypto;
using IoTSec.Protocol.Rsa;

namespace IoTSec.Protocol.Cose
{
    /// <summary>
    /// Verifies COSE_Sign1 messages signed with PS256 by one of a fixed set of trusted keys,
    /// each named by its kid, and checks the protected content type, so that a message of one
    /// kind cannot be passed off as another.
    /// </summary>
    /// <remarks>
    /// Order of checks, each with its own <see cref="CoseRejection"/>: structure
    /// (<see cref="CoseRejection.Malformed"/>), crit, alg present in the protected header,
    /// alg = PS256, kid present, kid trusted, signature, content type. The content type is
    /// checked after the signature because only then is it known to come from the signer;
    /// the refusal is the same either way.
    /// </remarks>
    public sealed class CoseSign1Verifier
    {
        private readonly CoseTrustedKey[] _keys;
        private readonly IDigestProvider _digests;

        /// <summary>Creates a verifier over <paramref name="trustedKeys"/>.</summary>
        /// <param name="trustedKeys">The keys to accept, kids distinct; the array is copied.</param>
        /// <param name="digests">Where SHA-256 comes from.</param>
        /// <exception cref="ArgumentException">Two keys share a kid, or an entry is null.</exception>
        public CoseSign1Verifier(CoseTrustedKey[] trustedKeys, IDigestProvider digests)
        {
            if (trustedKeys == null)
            {
                throw new ArgumentNullException(nameof(trustedKeys));
            }

            if (digests == null)
            {
                throw new ArgumentNullException(nameof(digests));
            }

            _keys = new CoseTrustedKey[trustedKeys.Length];
            for (int i = 0; i < trustedKeys.Length; i++)
            {
                if (trustedKeys[i] == null)
                {
                    throw new ArgumentException("trusted key " + i.ToString() + " is null", nameof(trustedKeys));
                }

                for (int j = 0; j < i; j++)
                {
                    if (trustedKeys[j].HasKeyId(trustedKeys[i].GetKeyId()))
                    {
                        throw new ArgumentException("two trusted keys share a kid", nameof(trustedKeys));
                    }
                }

                _keys[i] = trustedKeys[i];
            }

            _digests = digests;
        }

        /// <summary>Number of trusted keys.</summary>
        public int KeyCount
        {
            get { return _keys.Length; }
        }

        /// <summary>
        /// Decodes <paramref name="message"/>, verifies its signature with the trusted key its
        /// kid names, and requires the protected content type <paramref name="expectedContentType"/>.
        /// </summary>
        /// <param name="message">A tagged COSE_Sign1.</param>
        /// <param name="expectedContentType">The content type the caller will interpret the payload as.</param>
        /// <returns>The verified message; its payload may now be decoded.</returns>
        /// <exception cref="CoseRejectedException">The message is refused; the reason says why.</exception>
        public CoseSign1 Verify(byte[] message, string expectedContentType)
        {
            if (message == null)
            {
                throw new ArgumentNullException(nameof(message));
            }

            if (expectedContentType == null || expectedContentType.Length == 0)
            {
                throw new ArgumentException("an expected content type is required", nameof(expectedContentType));
            }

            CoseSign1 sign1 = CoseSign1.Decode(message);

            if (sign1.HasCriticalHeader)
            {
                throw new CoseRejectedException(CoseRejection.UnsupportedCriticalHeader, "the protected header lists critical parameters this verifier does not understand");
            }

            if (!sign1.HasAlgorithm)
            {
                throw new CoseRejectedException(CoseRejection.MissingAlgorithm, "the protected header has no alg");
            }

            if (sign1.Algorithm != CoseAlgorithms.Ps256)
            {
                throw new CoseRejectedException(CoseRejection.UnsupportedAlgorithm, "alg " + sign1.Algorithm.ToString() + " is not PS256 (-37)");
            }

            byte[] keyId = sign1.GetKeyId();
            if (keyId.Length == 0)
            {
                throw new CoseRejectedException(CoseRejection.MissingKeyId, "no kid names the signing key");
            }

            RsaPublicKey key = FindKey(keyId);

            byte[] toBeSigned = sign1.BuildToBeSigned();
            PssVerificationResult result = RsaPssSha256.VerifyData(key, toBeSigned, 0, toBeSigned.Length, sign1.Signature, _digests);
            if (result != PssVerificationResult.Valid)
            {
                throw new CoseRejectedException(CoseRejection.BadSignature, "PS256 verification failed: " + RsaPssSha256.ResultName(result));
            }

            if (sign1.ContentType != expectedContentType)
            {
                throw new CoseRejectedException(
                    CoseRejection.WrongContentType,
                    "content type \"" + sign1.ContentType + "\" where \"" + expectedContentType + "\" is expected");
            }

            return sign1;
        }

        private RsaPublicKey FindKey(byte[] keyId)
        {
            for (int i = 0; i < _keys.Length; i++)
            {
                if (_keys[i].HasKeyId(keyId))
                {
                    return _keys[i].Key;
                }
            }

            throw new CoseRejectedException(CoseRejection.UnknownKey, "kid " + Hex(keyId) + " names no trusted key");
        }

        private static string Hex(byte[] data)
        {
            const string Digits = "0123456789abcdef";
            char[] chars = new char[data.Length * 2];
            for (int i = 0; i < data.Length; i++)
            {
                chars[2 * i] = Digits[data[i] >> 4];
                chars[(2 * i) + 1] = Digits[data[i] & 0xF];
            }

            return new string(chars);
        }
    }
}
