namespace IoTSec.Firmware.Platform
{
    /// <summary>Opens mutual-TLS connections (TLS 1.2 or newer) to the gateway.</summary>
    public interface ISecureChannelFactory
    {
        /// <summary>
        /// Connects and completes the handshake. The server's chain must end at
        /// <see cref="TlsClientCredentials.TrustAnchor"/> and its name must match
        /// <paramref name="host"/>; anything else fails — the device never trusts on first use.
        /// </summary>
        /// <param name="host">Gateway host name or address, as provisioned.</param>
        /// <param name="port">TCP port.</param>
        /// <param name="credentials">Client certificate and key, and the trust anchor for the server.</param>
        /// <param name="timeoutMs">Longest time for connect plus handshake, and for each later read.</param>
        /// <returns>The open channel.</returns>
        /// <exception cref="NetworkException">Unreachable, handshake failed, or the server certificate was refused.</exception>
        ISecureChannel Connect(string host, int port, TlsClientCredentials credentials, int timeoutMs);
    }
}
