using System;
using IoTSec.Protocol.Cose;
using IoTSec.Protocol.Crypto;

namespace IoTSec.Protocol.Manifest
{
    /// <summary>
    /// Decides whether a device may install a signed OTA manifest: the COSE_Sign1 envelope is
    /// verified with the device's trusted OTA keys, then the manifest is checked against the
    /// device's context. Pure: it changes nothing; the caller advances its security counter
    /// only once the new image is confirmed.
    /// </summary>
    /// <remarks>
    /// <para>Checks, in order, each refusal with its own <see cref="ManifestRejection"/>:</para>
    /// <list type="number">
    /// <item>envelope size, COSE structure, crit, alg (PS256 only), kid, signature, content type
    /// <see cref="ManifestContentTypes.Manifest"/>;</item>
    /// <item>payload structure and manifest version;</item>
    /// <item>vendor id, then class id (a signed manifest for another product is refused);</item>
    /// <item>sequence number greater than the security counter (anti-rollback, anti-replay);</item>
    /// <item>trusted time present, and before the expiry;</item>
    /// <item>running version at least the minimum running version;</item>
    /// <item>every component installable on this device and no larger than its slot.</item>
    /// </list>
    /// <para>
    /// No trusted time means refusal (<see cref="ManifestRejection.NoTrustedTime"/>), not
    /// "expiry unchecked": the expiry is what stops a withheld, stale manifest from being
    /// installed later (a freeze attack), and a device without gateway time has no gateway to
    /// have received a genuine offer from anyway. The refusal is transient: the OTA logic
    /// retries after the next heartbeat acknowledgement.
    /// </para>
    /// </remarks>
    public sealed class ManifestVerifier
    {
        /// <summary>Largest envelope accepted, in bytes: a manifest with a 4096-bit signature needs well under 1 KiB.</summary>
        public const int MaxEnvelopeLength = 4096;

        private readonly CoseSign1Verifier _cose;

        /// <summary>Creates a verifier trusting <paramref name="otaKeys"/>.</summary>
        /// <param name="otaKeys">The device's OTA signing keys (usually one; two during a rotation).</param>
        /// <param name="digests">Where SHA-256 comes from.</param>
        public ManifestVerifier(CoseTrustedKey[] otaKeys, IDigestProvider digests)
        {
            _cose = new CoseSign1Verifier(otaKeys, digests);
        }

        /// <summary>Verifies <paramref name="envelope"/> and checks it against <paramref name="context"/>.</summary>
        /// <param name="envelope">The signed manifest, a tagged COSE_Sign1.</param>
        /// <param name="context">The device's state.</param>
        /// <returns>The manifest, safe to act on.</returns>
        /// <exception cref="ManifestRejectedException">Refused; the reason says why.</exception>
        public OtaManifest Verify(byte[] envelope, ManifestDeviceContext context)
        {
            if (envelope == null)
            {
                throw new ArgumentNullException(nameof(envelope));
            }

            if (context == null)
            {
                throw new ArgumentNullException(nameof(context));
            }

            if (envelope.Length > MaxEnvelopeLength)
            {
                throw new ManifestRejectedException(ManifestRejection.Malformed, "the envelope has " + envelope.Length.ToString() + " bytes, more than " + MaxEnvelopeLength.ToString());
            }

            CoseSign1 sign1;
            try
            {
                sign1 = _cose.Verify(envelope, ManifestContentTypes.Manifest);
            }
            catch (CoseRejectedException ex)
            {
                throw new ManifestRejectedException(FromCose(ex.Reason), ex.Detail);
            }

            OtaManifest manifest = OtaManifest.Decode(sign1.Payload);
            CheckContext(manifest, context);
            return manifest;
        }

        /// <summary>
        /// The context checks alone, on a manifest already verified (for a device that
        /// re-checks a stored manifest after a reboot, when its counter or time changed).
        /// </summary>
        /// <param name="manifest">A verified manifest.</param>
        /// <param name="context">The device's state.</param>
        /// <exception cref="ManifestRejectedException">Refused; the reason says why.</exception>
        public static void CheckContext(OtaManifest manifest, ManifestDeviceContext context)
        {
            if (manifest == null)
            {
                throw new ArgumentNullException(nameof(manifest));
            }

            if (context == null)
            {
                throw new ArgumentNullException(nameof(context));
            }

            if (!SameBytes(manifest.VendorId, context.VendorId))
            {
                throw new ManifestRejectedException(ManifestRejection.WrongVendor, "the manifest is for another vendor");
            }

            if (!SameBytes(manifest.ClassId, context.ClassId))
            {
                throw new ManifestRejectedException(ManifestRejection.WrongClass, "the manifest is for another device class");
            }

            if (manifest.SequenceNumber <= context.SecurityCounter)
            {
                throw new ManifestRejectedException(
                    ManifestRejection.SequenceTooOld,
                    "sequence " + manifest.SequenceNumber.ToString() + " is not above the security counter " + context.SecurityCounter.ToString());
            }

            if (!context.HasTrustedTime)
            {
                throw new ManifestRejectedException(ManifestRejection.NoTrustedTime, "no trusted time yet to check the expiry against");
            }

            if (context.TrustedTime >= manifest.ExpiresAt)
            {
                throw new ManifestRejectedException(
                    ManifestRejection.Expired,
                    "expired at " + manifest.ExpiresAt.ToString() + ", trusted time is " + context.TrustedTime.ToString());
            }

            if (context.RunningVersion.CompareTo(SemanticVersion.Parse(manifest.MinimumRunningVersion)) < 0)
            {
                throw new ManifestRejectedException(
                    ManifestRejection.RunningVersionTooOld,
                    "running " + context.RunningVersion.ToString() + ", the release needs at least " + manifest.MinimumRunningVersion);
            }

            for (int i = 0; i < manifest.ComponentCount; i++)
            {
                ManifestComponent component = manifest.GetComponent(i);
                long slot = context.SlotSizeFor(component.ComponentId);
                if (slot == 0)
                {
                    throw new ManifestRejectedException(ManifestRejection.UnsupportedComponent, "this device cannot install component " + component.ComponentId.ToString());
                }

                if (component.Size > slot)
                {
                    throw new ManifestRejectedException(
                        ManifestRejection.TooLarge,
                        "component " + component.ComponentId.ToString() + " has " + component.Size.ToString() + " bytes, the slot " + slot.ToString());
                }
            }
        }

        private static ManifestRejection FromCose(CoseRejection reason)
        {
            switch (reason)
            {
                case CoseRejection.MissingAlgorithm: return ManifestRejection.MissingAlgorithm;
                case CoseRejection.UnsupportedAlgorithm: return ManifestRejection.UnsupportedAlgorithm;
                case CoseRejection.UnsupportedCriticalHeader: return ManifestRejection.UnsupportedCriticalHeader;
                case CoseRejection.MissingKeyId: return ManifestRejection.MissingKeyId;
                case CoseRejection.UnknownKey: return ManifestRejection.UnknownKey;
                case CoseRejection.BadSignature: return ManifestRejection.BadSignature;
                case CoseRejection.WrongContentType: return ManifestRejection.WrongContentType;
                default: return ManifestRejection.Malformed;
            }
        }

        private static bool SameBytes(byte[] a, byte[] b)
        {
            if (a.Length != b.Length)
            {
                return false;
            }

            for (int i = 0; i < a.Length; i++)
            {
                if (a[i] != b[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
