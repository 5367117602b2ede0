using IoTSec.Firmware.Platform;
using IoTSec.Protocol.Crypto;

namespace IoTSec.Firmware.Ota
{
    /// <summary>Checks a slot file against the size and SHA-256 recorded for its image, reading it from flash in chunks.</summary>
    internal static class ImageCheck
    {
        private const int ChunkLength = 4096;

        /// <summary>True when the slot file has exactly the image's size and digest.</summary>
        public static bool Matches(IFlashStore flash, string file, InstalledImage image, IDigestProvider digests)
        {
            if (flash.GetLength(file) != image.Size)
            {
                return false;
            }

            byte[] digest = new byte[32];
            using (IHashAlgorithm sha = digests.CreateSha256())
            {
                HashPrefix(flash, file, image.Size, sha);
                sha.Final(digest, 0);
            }

            return ConstantTime.AreEqual(digest, image.Digest);
        }

        /// <summary>Feeds the first <paramref name="length"/> bytes of the file to <paramref name="sha"/>; false when the file is shorter.</summary>
        public static bool HashPrefix(IFlashStore flash, string file, long length, IHashAlgorithm sha)
        {
            byte[] buffer = new byte[ChunkLength];
            long position = 0;
            while (position < length)
            {
                int wanted = length - position > ChunkLength ? ChunkLength : (int)(length - position);
                int read = flash.Read(file, position, buffer, 0, wanted);
                if (read <= 0)
                {
                    return false;
                }

                sha.Update(buffer, 0, read);
                position += read;
            }

            return true;
        }
    }
}
