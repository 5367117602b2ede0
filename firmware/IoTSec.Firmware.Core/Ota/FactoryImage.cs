using System;
using IoTSec.Firmware.Platform;
using IoTSec.Protocol.Crypto;
using IoTSec.Protocol.Heartbeat;

namespace IoTSec.Firmware.Ota
{
    /// <summary>
    /// Manufacturing: writes the first application bundle into slot A and records it as the
    /// confirmed image with security counter 0. Run by the factory line (or a simulated
    /// device's first start), never by the OTA path.
    /// </summary>
    public static class FactoryImage
    {
        /// <summary>Installs <paramref name="image"/> as the confirmed image of slot A, replacing any slot state.</summary>
        /// <param name="flash">The device's flash.</param>
        /// <param name="image">The application bundle.</param>
        /// <param name="version">Its semantic version.</param>
        /// <param name="digests">SHA-256.</param>
        public static void Install(IFlashStore flash, byte[] image, string version, IDigestProvider digests)
        {
            if (flash == null)
            {
                throw new ArgumentNullException("flash");
            }

            if (image == null)
            {
                throw new ArgumentNullException("image");
            }

            if (digests == null)
            {
                throw new ArgumentNullException("digests");
            }

            byte[] digest = new byte[32];
            using (IHashAlgorithm sha = digests.CreateSha256())
            {
                sha.Update(image, 0, image.Length);
                sha.Final(digest, 0);
            }

            flash.Delete(SlotNames.SlotA);
            flash.Delete(SlotNames.SlotB);
            flash.Write(SlotNames.SlotA, 0, image, 0, image.Length);
            SlotState state = new SlotState();
            state.ActiveSlot = FirmwareSlot.A;
            state.ActiveImage = new InstalledImage(0, version, image.Length, digest);
            state.Write(flash);
        }
    }
}
