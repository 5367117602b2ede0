using System;

namespace IoTSec.Protocol.Manifest
{
    /// <summary>An OTA manifest or image was refused; <see cref="Reason"/> says why. The only exception the manifest decoders and verifier throw for outside input.</summary>
#pragma warning disable CA1032 // Standard constructors: a refusal without a reason carries no diagnosis; mscorlib v1 has no serialization constructor either.
    public class ManifestRejectedException : Exception
#pragma warning restore CA1032
    {
        /// <summary>Creates the exception; the message names the reason.</summary>
        /// <param name="reason">Why the manifest was refused.</param>
        /// <param name="detail">A human-readable description.</param>
        public ManifestRejectedException(ManifestRejection reason, string detail)
            : base("OTA manifest refused (" + ReasonName(reason) + "): " + detail)
        {
            Reason = reason;
        }

        /// <summary>Why the manifest was refused.</summary>
        public ManifestRejection Reason { get; }

        /// <summary>The reason's name (Enum.ToString on mscorlib v1 prints the number only).</summary>
        /// <param name="reason">A reason.</param>
        /// <returns>Its name.</returns>
        public static string ReasonName(ManifestRejection reason)
        {
            switch (reason)
            {
                case ManifestRejection.Malformed: return "Malformed";
                case ManifestRejection.MissingAlgorithm: return "MissingAlgorithm";
                case ManifestRejection.UnsupportedAlgorithm: return "UnsupportedAlgorithm";
                case ManifestRejection.UnsupportedCriticalHeader: return "UnsupportedCriticalHeader";
                case ManifestRejection.MissingKeyId: return "MissingKeyId";
                case ManifestRejection.UnknownKey: return "UnknownKey";
                case ManifestRejection.BadSignature: return "BadSignature";
                case ManifestRejection.WrongContentType: return "WrongContentType";
                case ManifestRejection.UnsupportedManifestVersion: return "UnsupportedManifestVersion";
                case ManifestRejection.WrongVendor: return "WrongVendor";
                case ManifestRejection.WrongClass: return "WrongClass";
                case ManifestRejection.SequenceTooOld: return "SequenceTooOld";
                case ManifestRejection.NoTrustedTime: return "NoTrustedTime";
                case ManifestRejection.Expired: return "Expired";
                case ManifestRejection.RunningVersionTooOld: return "RunningVersionTooOld";
                case ManifestRejection.UnsupportedComponent: return "UnsupportedComponent";
                case ManifestRejection.TooLarge: return "TooLarge";
                case ManifestRejection.UnsupportedDigestAlgorithm: return "UnsupportedDigestAlgorithm";
                case ManifestRejection.SizeMismatch: return "SizeMismatch";
                case ManifestRejection.DigestMismatch: return "DigestMismatch";
                default: return "Reason" + ((int)reason).ToString();
            }
        }
    }
}
