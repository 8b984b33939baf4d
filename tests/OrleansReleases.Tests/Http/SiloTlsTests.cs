using OrleansReleases.Grains;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OrleansReleases.Silo.Hosting;
using OrleansReleases.Tests.Support;

namespace OrleansReleases.Tests.Http;

/// <summary>Which peers a silo with <c>Releases:Cluster:Certificate</c> accepts, and what it refuses to start with.</summary>
public sealed class SiloTlsTests : IDisposable
{
    private readonly TempFolder _folder = TempFolder.Create();

    [Fact]
    public void A_peer_is_trusted_only_with_the_configured_certificate_or_one_it_issued()
    {
        using var configured = TestCertificates.SelfSigned("silo");
        using var sameFile = X509CertificateLoader.LoadCertificate(configured.RawData);
        using var stranger = TestCertificates.SelfSigned("silo"); // same name, another key
        using var authority = TestCertificates.Authority("releases-ca");
        using var issued = TestCertificates.IssuedBy(authority, "silo-a");
        using var otherAuthority = TestCertificates.Authority("releases-ca");
        using var forged = TestCertificates.IssuedBy(otherAuthority, "silo-b");

        Assert.True(SiloTls.IsTrustedPeer(sameFile, configured));
        Assert.False(SiloTls.IsTrustedPeer(stranger, configured));
        Assert.True(SiloTls.IsTrustedPeer(issued, authority));
        Assert.False(SiloTls.IsTrustedPeer(forged, authority));
        Assert.False(SiloTls.IsTrustedPeer(issued, configured));
        Assert.False(SiloTls.IsTrustedPeer(configured, issued)); // a leaf vouches for nobody else
    }

    [Fact]
    public void A_missing_file_or_one_without_a_private_key_stops_the_start()
    {
        using var certificate = TestCertificates.SelfSigned("silo");
        var publicOnly = _folder.PathOf("public.pfx");
        File.WriteAllBytes(publicOnly, X509CertificateLoader.LoadCertificate(certificate.RawData).Export(X509ContentType.Pfx));

        var missing = Assert.Throws<InvalidOperationException>(() => SiloTls.Load(new ReleasesClusterOptions { Certificate = _folder.PathOf("none.pfx") }));
        var keyless = Assert.Throws<InvalidOperationException>(() => SiloTls.Load(new ReleasesClusterOptions { Certificate = publicOnly }));

        Assert.Contains("Releases:Cluster:Certificate", missing.Message);
        Assert.Contains("private key", keyless.Message);
    }

    [Fact]
    public void A_password_protected_file_loads_with_its_password()
    {
        using var certificate = TestCertificates.SelfSigned("silo");
        var path = TestCertificates.WritePfx(certificate, _folder.PathOf("silo.pfx"), "s3cret");

        using var loaded = SiloTls.Load(new ReleasesClusterOptions { Certificate = path, CertificatePassword = "s3cret" });

        Assert.True(loaded.HasPrivateKey);
        Assert.Equal(certificate.Thumbprint, loaded.Thumbprint);
        var wrong = Assert.Throws<InvalidOperationException>(() => SiloTls.Load(new ReleasesClusterOptions { Certificate = path, CertificatePassword = "wrong" }));
        Assert.StartsWith(ReleasesApplication.StartRefusal, wrong.Message);
        Assert.Contains("Releases:Cluster:CertificatePassword", wrong.Message);
    }

    public void Dispose() => _folder.Dispose();
}

/// <summary>Certificates made in the test, as <c>openssl req -x509</c> would.</summary>
internal static class TestCertificates
{
    private static readonly OidCollection ServerAndClient = [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")];

    public static X509Certificate2 SelfSigned(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = Leaf(name, key);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    public static X509Certificate2 Authority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    public static X509Certificate2 IssuedBy(X509Certificate2 authority, string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = Leaf(name, key);
        using var certificate = request.Create(authority, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddMonths(6), RandomNumberGenerator.GetBytes(8));
        return certificate.CopyWithPrivateKey(key);
    }

    public static string WritePfx(X509Certificate2 certificate, string path, string? password = null)
    {
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return path;
    }

    private static CertificateRequest Leaf(string name, ECDsa key)
    {
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(ServerAndClient, false));
        return request;
    }
}
