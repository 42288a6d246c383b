# OpenLDAP from Debian (the same slapd as docker/run-by-hand.sh uses), with the demo organisation loaded
# at build time: suffix dc=portcullis,dc=demo, manager cn=admin,dc=portcullis,dc=demo / admin-demo, and
# the access rules of .ci/slapd-up (openldap-access.ldif: anonymous clients read nothing, people only their
# own entry, only cn=admin writes or reads passwords and the stash). For the demo stack only: its
# passwords are public.
FROM debian:bookworm-slim
RUN echo "slapd slapd/no_configuration boolean false" | debconf-set-selections \
 && echo "slapd slapd/domain string portcullis.demo" | debconf-set-selections \
 && echo "slapd shared/organization string Portcullis demo" | debconf-set-selections \
 && echo "slapd slapd/password1 password admin-demo" | debconf-set-selections \
 && echo "slapd slapd/password2 password admin-demo" | debconf-set-selections \
 && apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends slapd ldap-utils \
 && rm -rf /var/lib/apt/lists/*
COPY docker/openldap-schema.ldif docker/openldap-access.ldif /tmp/
# the stash attribute's schema and the access rules, written into cn=config offline
RUN slapadd -n 0 -F /etc/ldap/slapd.d -l /tmp/openldap-schema.ldif \
 && slapmodify -n 0 -F /etc/ldap/slapd.d -l /tmp/openldap-access.ldif \
 && chown -R openldap:openldap /etc/ldap/slapd.d \
 && rm /tmp/openldap-schema.ldif /tmp/openldap-access.ldif
COPY src/main/resources/demo/organisation.ldif /tmp/organisation.ldif
# the package made the base entry; the LDIF's own copy of it is left out, the rest added offline
RUN awk 'BEGIN{RS=""; ORS="\n\n"} !/^dn: dc=portcullis,dc=demo\n/' /tmp/organisation.ldif > /tmp/seed.ldif \
 && slapadd -b dc=portcullis,dc=demo -l /tmp/seed.ldif \
 && chown -R openldap:openldap /var/lib/ldap \
 && rm /tmp/organisation.ldif /tmp/seed.ldif
EXPOSE 389
# as the service account: an anonymous client reads nothing here
HEALTHCHECK --interval=5s --timeout=5s --retries=20 \
  CMD ldapsearch -x -H ldap://127.0.0.1:389 -D cn=admin,dc=portcullis,dc=demo -w admin-demo -b dc=portcullis,dc=demo -s base dn || exit 1
CMD ["slapd", "-d", "0", "-h", "ldap:///", "-u", "openldap", "-g", "openldap", "-F", "/etc/ldap/slapd.d"]
