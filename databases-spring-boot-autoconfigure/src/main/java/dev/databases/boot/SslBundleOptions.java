package dev.databases.boot;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.databases.DatabaseURL;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.util.FileSystemUtils;

/**
 * Hands a Spring Boot SSL bundle ({@code spring.ssl.bundle.*}) to the database drivers.
 * <p>
 * R2DBC drivers and JDBC drivers take TLS material as files named in their options, not as
 * Java key stores, so the bundle's trusted certificates and its client certificate and
 * private key are written once to a directory only the current user can read, and
 * deleted when the application context closes:
 * <ul>
 * <li>PostgreSQL: r2dbc-postgresql's {@code sslRootCert}, {@code sslCert}, {@code sslKey}
 * (PEM); pgjdbc's {@code sslrootcert} and {@code sslkey} (a PKCS#12 file with
 * {@code sslpassword}).</li>
 * <li>MySQL and MariaDB: r2dbc-mysql's {@code sslCa}, {@code sslCert}, {@code sslKey} (PEM);
 * MariaDB Connector/J's {@code serverSslCert} and {@code keyStore}; MySQL Connector/J's
 * {@code trustCertificateKeyStoreUrl} and {@code clientCertificateKeyStoreUrl}
 * (PKCS#12).</li>
 * </ul>
 * The bundle's protocol, ciphers and key alias beyond the first key entry are not passed on:
 * the drivers have no option for them. H2 and SQLite run in this process and take no TLS.
 *
 * @since 0.1.0
 */
public final class SslBundleOptions implements DisposableBean {

	private final SslBundles bundles;

	private final Map<String, Material> written = new ConcurrentHashMap<>();

	/**
	 * Create an instance for the application's bundles.
	 * @param bundles the bundles
	 */
	public SslBundleOptions(SslBundles bundles) {
		this.bundles = bundles;
	}

	/**
	 * The R2DBC driver options that carry a bundle's material.
	 * @param bundleName the bundle's name
	 * @param url the database URL, which decides the driver's spelling
	 * @return the options, in order
	 * @throws DatabaseConfigurationException when the bundle does not exist, cannot be read,
	 * or the database takes no TLS
	 */
	public Map<String, String> r2dbcOptions(String bundleName, DatabaseURL url) {
		Material material = material(bundleName, url);
		Map<String, String> options = new LinkedHashMap<>();
		boolean postgresql = isPostgresql(url);
		if (material.caPem != null) {
			options.put(postgresql ? "sslRootCert" : "sslCa", material.caPem.toString());
		}
		if (material.certPem != null && material.keyPem != null) {
			options.put("sslCert", material.certPem.toString());
			options.put("sslKey", material.keyPem.toString());
		}
		return options;
	}

	/**
	 * The JDBC driver properties that carry a bundle's material, for Flyway.
	 * @param bundleName the bundle's name
	 * @param url the database URL, which decides the JDBC driver
	 * @return the properties, in order
	 * @throws DatabaseConfigurationException when the bundle does not exist, cannot be read,
	 * or the database takes no TLS
	 */
	public Map<String, String> jdbcProperties(String bundleName, DatabaseURL url) {
		Material material = material(bundleName, url);
		Map<String, String> properties = new LinkedHashMap<>();
		if (isPostgresql(url)) {
			putIfPresent(properties, "sslrootcert", material.caPem);
			if (material.keyP12 != null) {
				properties.put("sslkey", material.keyP12.toString());
				properties.put("sslpassword", material.password);
			}
		}
		else if (url.dialect().equals("mariadb")) {
			putIfPresent(properties, "serverSslCert", material.caPem);
			if (material.keyP12 != null) {
				properties.put("keyStore", material.keyP12.toString());
				properties.put("keyStorePassword", material.password);
				properties.put("keyStoreType", "PKCS12");
			}
		}
		else {
			if (material.trustP12 != null) {
				properties.put("trustCertificateKeyStoreUrl", material.trustP12.toUri().toString());
				properties.put("trustCertificateKeyStoreType", "PKCS12");
				properties.put("trustCertificateKeyStorePassword", material.password);
			}
			if (material.keyP12 != null) {
				properties.put("clientCertificateKeyStoreUrl", material.keyP12.toUri().toString());
				properties.put("clientCertificateKeyStoreType", "PKCS12");
				properties.put("clientCertificateKeyStorePassword", material.password);
			}
		}
		return properties;
	}

	private static void putIfPresent(Map<String, String> properties, String name, @Nullable Path path) {
		if (path != null) {
			properties.put(name, path.toString());
		}
	}

	private static boolean isPostgresql(DatabaseURL url) {
		return url.dialect().equals("postgresql");
	}

	private Material material(String bundleName, DatabaseURL url) {
		String dialect = url.dialect();
		if (!dialect.equals("postgresql") && !dialect.equals("mysql") && !dialect.equals("mariadb")) {
			throw new DatabaseConfigurationException("databases.ssl.bundle",
					"an SSL bundle cannot be used with " + dialect + " URLs",
					"SSL bundles work with postgresql, mysql and mariadb URLs; remove databases.ssl.bundle.", null);
		}
		return this.written.computeIfAbsent(bundleName, this::write);
	}

	private Material write(String bundleName) {
		SslBundle bundle;
		try {
			bundle = this.bundles.getBundle(bundleName);
		}
		catch (NoSuchSslBundleException ex) {
			throw new DatabaseConfigurationException("databases.ssl.bundle",
					"there is no SSL bundle named '" + bundleName + "'",
					"Name a bundle defined under spring.ssl.bundle.jks.* or spring.ssl.bundle.pem.*.", ex);
		}
		try {
			return Material.write(bundleName, bundle);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write the TLS files of SSL bundle '" + bundleName + "'", ex);
		}
		catch (GeneralSecurityException ex) {
			throw new DatabaseConfigurationException("databases.ssl.bundle",
					"SSL bundle '" + bundleName + "' cannot be read: " + ex.getMessage(),
					"Check the bundle's key store, key password and alias under spring.ssl.bundle.*.", ex);
		}
	}

	/**
	 * Delete the files written for the bundles.
	 */
	@Override
	public void destroy() {
		for (Material material : this.written.values()) {
			try {
				FileSystemUtils.deleteRecursively(material.directory);
			}
			catch (IOException ex) {
				// Nothing more can be done: the directory is private to the user.
			}
		}
		this.written.clear();
	}

	/** The files written for one bundle. */
	private static final class Material {

		private final Path directory;

		private final String password;

		private @Nullable Path caPem;

		private @Nullable Path trustP12;

		private @Nullable Path certPem;

		private @Nullable Path keyPem;

		private @Nullable Path keyP12;

		private Material(Path directory, String password) {
			this.directory = directory;
			this.password = password;
		}

		static Material write(String bundleName, SslBundle bundle) throws IOException, GeneralSecurityException {
			byte[] random = new byte[16];
			new SecureRandom().nextBytes(random);
			Material material = new Material(privateDirectory(), HexFormat.of().formatHex(random));
			KeyStore trustStore = bundle.getStores().getTrustStore();
			if (trustStore != null) {
				List<Certificate> trusted = new ArrayList<>();
				for (String alias : Collections.list(trustStore.aliases())) {
					Certificate certificate = trustStore.getCertificate(alias);
					if (certificate != null) {
						trusted.add(certificate);
					}
				}
				if (!trusted.isEmpty()) {
					material.caPem = material.file("ca.pem", pem("CERTIFICATE", trusted));
					KeyStore p12 = KeyStore.getInstance("PKCS12");
					p12.load(null, null);
					for (int i = 0; i < trusted.size(); i++) {
						p12.setCertificateEntry("ca" + i, trusted.get(i));
					}
					material.trustP12 = material.store("truststore.p12", p12);
				}
			}
			KeyStore keyStore = bundle.getStores().getKeyStore();
			if (keyStore != null) {
				SslBundleKey bundleKey = bundle.getKey();
				String alias = (bundleKey.getAlias() != null) ? bundleKey.getAlias() : firstKeyAlias(keyStore);
				if (alias != null) {
					String keyPassword = (bundleKey.getPassword() != null) ? bundleKey.getPassword()
							: bundle.getStores().getKeyStorePassword();
					char[] password = (keyPassword != null) ? keyPassword.toCharArray() : new char[0];
					Key key = keyStore.getKey(alias, password);
					Certificate[] chain = keyStore.getCertificateChain(alias);
					if (!(key instanceof PrivateKey privateKey) || chain == null || chain.length == 0) {
						throw new GeneralSecurityException(
								"key store entry '" + alias + "' is not a private key with a certificate chain");
					}
					material.certPem = material.file("client-cert.pem", pem("CERTIFICATE", List.of(chain)));
					material.keyPem = material.file("client-key.pem", pem("PRIVATE KEY", privateKey.getEncoded()));
					KeyStore p12 = KeyStore.getInstance("PKCS12");
					p12.load(null, null);
					p12.setKeyEntry("client", privateKey, material.password.toCharArray(), chain);
					material.keyP12 = material.store("client.p12", p12);
				}
			}
			return material;
		}

		private static @Nullable String firstKeyAlias(KeyStore keyStore) throws GeneralSecurityException {
			for (String alias : Collections.list(keyStore.aliases())) {
				if (keyStore.isKeyEntry(alias)) {
					return alias;
				}
			}
			return null;
		}

		private static Path privateDirectory() throws IOException {
			if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
				return Files.createTempDirectory("databases-ssl-",
						PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
			}
			return Files.createTempDirectory("databases-ssl-");
		}

		private Path file(String name, String content) throws IOException {
			Path path = this.directory.resolve(name);
			Files.writeString(path, content, StandardCharsets.US_ASCII);
			return path;
		}

		private Path store(String name, KeyStore store) throws IOException, GeneralSecurityException {
			Path path = this.directory.resolve(name);
			try (OutputStream out = Files.newOutputStream(path)) {
				store.store(out, this.password.toCharArray());
			}
			return path;
		}

		private static String pem(String type, List<Certificate> certificates) throws GeneralSecurityException {
			StringBuilder pem = new StringBuilder();
			for (Certificate certificate : certificates) {
				pem.append(pem(type, certificate.getEncoded()));
			}
			return pem.toString();
		}

		private static String pem(String type, byte[] der) {
			return "-----BEGIN " + type + "-----\n"
					+ Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der) + "\n-----END " + type
					+ "-----\n";
		}

	}

}
