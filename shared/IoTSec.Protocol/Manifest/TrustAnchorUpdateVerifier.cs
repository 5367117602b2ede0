using System;
using IoTSec.Protocol.Cose;
using IoTSec.Protocol.Crypto;

namespace IoTSec.Protocol.Manifest
{
    /// <summary>
    /// Verifies a signed trust-anchor update: COSE_Sign1 signed by one of the device's
    /// current OTA keys, content type <see cref="ManifestContentTypes.AnchorUpdate"/>, an
    /// update sequence above the device's anchor-update counter, not expired. Returns the new
    /// anchor; the caller stores it, advances its counter, and (for an OTA key) replaces its
    /// verifier's key set, all before acknowledging.
    /// </summary>
    /// <remarks>
    /// The anchor-update counter is separate from the manifest security counter: the two
    /// kinds of message are issued independently, and one must not be able to burn the
    /// other's sequence numbers. Expiry is optional here (a rotation prepared in advance may
    /// be meant to stay valid); when present it is enforced like a manifest's, and no
    /// trusted time then means refusal.
    /// </remarks>
    public sealed class TrustAnchorUpdateVerifier
    {
        /// <summary>Largest envelope accepted, in bytes.</summary>
        public const int MaxEnvelopeLength = 8192;

        /// <summary>Value of the trusted time argument when the device has none.</summary>
        public const long NoTrustedTime = -1;

        private readonly CoseSign1Verifier _cose;

        /// <summary>Creates a verifier trusting the device's current OTA keys.</summary>
        /// <param name="currentOtaKeys">The OTA keys now trusted: only they may sign an update.</param>
        /// <param name="digests">Where SHA-256 comes from.</param>
        public TrustAnchorUpdateVerifier(CoseTrustedKey[] currentOtaKeys, IDigestProvider digests)
        {
            _cose = new CoseSign1Verifier(currentOtaKeys, digests);
        }

        /// <summary>Verifies <paramref name="envelope"/>.</summary>
        /// <param name="envelope">The signed update, a tagged COSE_Sign1.</param>
        /// <param name="updateCounter">The highest update sequence accepted so far (0 when none).</param>
        /// <param name="trustedTime">Trusted unix seconds, or <see cref="NoTrustedTime"/>.</param>
        /// <returns>The update, safe to apply.</returns>
        /// <exception cref="AnchorUpdateRejectedException">Refused; the reason says why.</exception>
        public TrustAnchorUpdate Verify(byte[] envelope, ulong updateCounter, long trustedTime)
        {
            if (envelope == null)
            {
                throw new ArgumentNullException(nameof(envelope));
            }

            if (trustedTime < NoTrustedTime)
            {
                throw new ArgumentOutOfRangeException(nameof(trustedTime));
            }

            if (envelope.Length > MaxEnvelopeLength)
            {
                throw new AnchorUpdateRejectedException(AnchorUpdateRejection.Malformed, "the envelope has " + envelope.Length.ToString() + " bytes, more than " + MaxEnvelopeLength.ToString());
            }

            CoseSign1 sign1;
            try
            {
                sign1 = _cose.Verify(envelope, ManifestContentTypes.AnchorUpdate);
            }
            catch (CoseRejectedException ex)
            {
                throw new AnchorUpdateRejectedException(FromCose(ex.Reason), ex.Detail);
            }

            TrustAnchorUpdate update = TrustAnchorUpdate.Decode(sign1.Payload);

            if (update.Sequence <= updateCounter)
            {
                throw new AnchorUpdateRejectedException(
                    AnchorUpdateRejection.SequenceTooOld,
                    "update sequence " + update.Sequence.ToString() + " is not above the counter " + updateCounter.ToString());
            }

            if (update.HasExpiry)
            {
                if (trustedTime == NoTrustedTime)
                {
                    throw new AnchorUpdateRejectedException(AnchorUpdateRejection.NoTrustedTime, "no trusted time yet to check the expiry against");
                }

                if (trustedTime >= update.ExpiresAt)
                {
                    throw new AnchorUpdateRejectedException(
                        AnchorUpdateRejection.Expired,
                        "expired at " + update.ExpiresAt.ToString() + ", trusted time is " + trustedTime.ToString());
                }
            }

            return update;
        }

        private static AnchorUpdateRejection FromCose(CoseRejection reason)
        {
            switch (reason)
            {
                case CoseRejection.MissingAlgorithm: return AnchorUpdateRejection.MissingAlgorithm;
                case CoseRejection.UnsupportedAlgorithm: return AnchorUpdateRejection.UnsupportedAlgorithm;
                case CoseRejection.UnsupportedCriticalHeader: return AnchorUpdateRejection.UnsupportedCriticalHeader;
                case CoseRejection.MissingKeyId: return AnchorUpdateRejection.MissingKeyId;
                case CoseRejection.UnknownKey: return AnchorUpdateRejection.UnknownKey;
                case CoseRejection.BadSignature: return AnchorUpdateRejection.BadSignature;
                case CoseRejection.WrongContentType: return AnchorUpdateRejection.WrongContentType;
                default: return AnchorUpdateRejection.Malformed;
            }
        }
    }
}
