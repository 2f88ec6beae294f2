/** Data of user-scoped events (Meta's docs on `user_preferences`; `smb_app_state_sync`; `user_id_update`). */

export interface UserPreferencesData {
  readonly waId?: string;
  readonly userId?: string;
  readonly parentUserId?: string;
  readonly category?: string;
  /** `stop` → suppress marketing templates (sending fails with 131050); `resume` lifts it. */
  readonly value?: string;
  readonly detail?: string;
}

export interface UserIdUpdateData {
  readonly waId?: string;
  readonly detail?: string;
  readonly previousUserId?: string;
  readonly currentUserId?: string;
  readonly previousParentUserId?: string;
  readonly currentParentUserId?: string;
}

export interface AppStateSyncData {
  readonly syncType?: string;
  /** add (also edits) or remove. */
  readonly action?: string;
  readonly fullName?: string;
  readonly firstName?: string;
  readonly phoneNumber?: string;
  readonly userId?: string;
  readonly parentUserId?: string;
  readonly username?: string;
}
