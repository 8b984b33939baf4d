using OrleansReleases.Grains;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace OrleansReleases.Silo.Hosting;

/// <summary>
/// TLS between silos (<c>Releases:Cluster:Certificate</c>). Both ends show a certificate and both
/// check the other's: a peer is accepted only when its certificate is the configured one, or was
/// issued by it (chains to it as the one trusted root). Public CAs and the machine's trust store
/// play no part, so a certificate from anywhere else never joins the cluster.
/// </summary>
public static class SiloTls
{
    public static X509Certificate2 Load(ReleasesClusterOptions settings)
    {
        var path = settings.Certificate!;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{ReleasesApplication.StartRefusal}: Releases:Cluster:Certificate names {path}, which does not exist.");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, settings.CertificatePassword);
        }
        catch (CryptographicException ex)
        {
            throw new InvalidOperationException(
                $"{ReleasesApplication.StartRefusal}: Releases:Cluster:Certificate ({path}) cannot be read as a PFX with Releases:Cluster:CertificatePassword: {ex.Message}", ex);
        }

        if (!certificate.HasPrivateKey)
        {
            throw new InvalidOperationException($"{ReleasesApplication.StartRefusal}: Releases:Cluster:Certificate ({path}) holds no private key.");
        }

        return certificate;
    }

    public static void Configure(TlsOptions options, X509Certificate2 certificate)
    {
        options.LocalCertificate = certificate;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate; // the accepting silo asks the caller for one too
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.RemoteCertificateValidation = (peer, _, _) => IsTrustedPeer(peer, certificate);
    }

    /// <summary>The peer shows <paramref name="trusted"/> itself, or a certificate signed by its key.</summary>
    public static bool IsTrustedPeer(X509Certificate2 peer, X509Certificate2 trusted)
    {
        if (peer.RawDataMemory.Span.SequenceEqual(trusted.RawDataMemory.Span))
        {
            return true;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.NoFlag;
        if (!chain.Build(peer))
        {
            return false;
        }

        var root = chain.ChainElements[^1].Certificate;
        return root.RawDataMemory.Span.SequenceEqual(trusted.RawDataMemory.Span);
    }
}
