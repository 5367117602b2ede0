using System;

namespace IoTSec.Firmware.Ota
{
    /// <summary>An application bundle was refused; <see cref="Reason"/> says why. The only exception <see cref="ApplicationBundle.Parse"/> throws for a bad image.</summary>
#pragma warning disable CA1032 // Standard constructors: a refusal without a reason carries no diagnosis; mscorlib v1 has no serialization constructor either.
    public class BundleRejectedException : Exception
#pragma warning restore CA1032
    {
        /// <summary>Creates the exception; the message names the reason.</summary>
        /// <param name="reason">Why.</param>
        /// <param name="detail">What exactly, with the offset.</param>
        public BundleRejectedException(BundleRejection reason, string detail)
            : base("application bundle refused (" + ReasonName(reason) + "): " + detail)
        {
            Reason = reason;
        }

        /// <summary>Why the bundle was refused.</summary>
        public BundleRejection Reason { get; private set; }

        /// <summary>The reason's name (Enum.ToString on mscorlib v1 prints the number only).</summary>
        /// <param name="reason">A reason.</param>
        /// <returns>Its name.</returns>
        public static string ReasonName(BundleRejection reason)
        {
            switch (reason)
            {
                case BundleRejection.Truncated: return "Truncated";
                case BundleRejection.BadMagic: return "BadMagic";
                case BundleRejection.UnsupportedVersion: return "UnsupportedVersion";
                case BundleRejection.BadAssemblyCount: return "BadAssemblyCount";
                case BundleRejection.BadEntryTypeName: return "BadEntryTypeName";
                case BundleRejection.BadAssemblyName: return "BadAssemblyName";
                case BundleRejection.DuplicateAssemblyName: return "DuplicateAssemblyName";
                case BundleRejection.BadAssemblyLength: return "BadAssemblyLength";
                case BundleRejection.TrailingBytes: return "TrailingBytes";
                default: return "Reason" + ((int)reason).ToString();
            }
        }
    }
}
