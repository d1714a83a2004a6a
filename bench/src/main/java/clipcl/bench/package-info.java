/** Placeholder: this module's issue has not landed yet; nothing here works. */
package clipcl.bench;
