using System;
using IoTSec.Protocol.Crypto;

namespace IoTSec.Protocol.Manifest
{
    /// <summary>
    /// Checks an image against its manifest component while it arrives in chunks: SHA-256
    /// over every byte, the length bounded by the signed size as it goes, the digest compared
    /// at the end. The device writes each chunk to the inactive slot and feeds it here; it
    /// marks the slot bootable only after <see cref="Complete"/> returns.
    /// </summary>
    /// <remarks>
    /// A chunk that would take the image past the signed size is refused at once
    /// (<see cref="ManifestRejection.SizeMismatch"/>), so a hostile server cannot fill the
    /// slot beyond what was signed. After a refusal the instance is finished; create a new
    /// one to start the download again.
    /// </remarks>
    public sealed class ComponentDigestCheck : IDisposable
    {
        private readonly byte[] _expectedDigest;
        private readonly long _expectedSize;
        private readonly IHashAlgorithm _sha;
        private long _received;
        private bool _finished;

        /// <summary>Starts checking an image for <paramref name="component"/>.</summary>
        /// <param name="component">The component, from a verified manifest.</param>
        /// <param name="digests">Where SHA-256 comes from (a native digest on devices that have one).</param>
        public ComponentDigestCheck(ManifestComponent component, IDigestProvider digests)
        {
            if (component == null)
            {
                throw new ArgumentNullException(nameof(component));
            }

            if (digests == null)
            {
                throw new ArgumentNullException(nameof(digests));
            }

            _expectedDigest = component.GetDigest();
            _expectedSize = component.Size;
            _sha = digests.CreateSha256();
        }

        /// <summary>Bytes fed so far.</summary>
        public long BytesReceived
        {
            get { return _received; }
        }

        /// <summary>The signed size of the image.</summary>
        public long BytesExpected
        {
            get { return _expectedSize; }
        }

        /// <summary>Feeds the next <paramref name="count"/> bytes of the image.</summary>
        /// <param name="chunk">Buffer holding the bytes.</param>
        /// <param name="offset">Index of the first byte.</param>
        /// <param name="count">Number of bytes; zero is allowed.</param>
        /// <exception cref="ManifestRejectedException"><see cref="ManifestRejection.SizeMismatch"/> when the image grows past its signed size.</exception>
        /// <exception cref="InvalidOperationException">The check is finished (completed or refused).</exception>
        public void Update(byte[] chunk, int offset, int count)
        {
            CryptoArguments.CheckRange(chunk, offset, count, nameof(chunk));
            ThrowIfFinished();
            if (count > _expectedSize - _received)
            {
                _finished = true;
                throw new ManifestRejectedException(
                    ManifestRejection.SizeMismatch,
                    "the image grows past its signed size of " + _expectedSize.ToString() + " bytes");
            }

            _sha.Update(chunk, offset, count);
            _received += count;
        }

        /// <summary>Finishes: the image must have exactly the signed size and digest.</summary>
        /// <exception cref="ManifestRejectedException"><see cref="ManifestRejection.SizeMismatch"/> or <see cref="ManifestRejection.DigestMismatch"/>.</exception>
        /// <exception cref="InvalidOperationException">The check is already finished.</exception>
        public void Complete()
        {
            ThrowIfFinished();
            _finished = true;
            if (_received != _expectedSize)
            {
                throw new ManifestRejectedException(
                    ManifestRejection.SizeMismatch,
                    "the image has " + _received.ToString() + " bytes, its signed size is " + _expectedSize.ToString());
            }

            byte[] actual = new byte[ManifestComponent.DigestLength];
            _sha.Final(actual, 0);
            if (!ConstantTime.AreEqual(actual, _expectedDigest))
            {
                throw new ManifestRejectedException(ManifestRejection.DigestMismatch, "the image's SHA-256 differs from the signed digest");
            }
        }

        /// <summary>Releases the hash.</summary>
        public void Dispose()
        {
            _finished = true;
            _sha.Dispose();
        }

        private void ThrowIfFinished()
        {
            if (_finished)
            {
                throw new InvalidOperationException("the digest check is finished; start a new one");
            }
        }
    }
}
