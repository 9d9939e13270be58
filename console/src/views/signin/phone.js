// A phone number as the API takes it (E.164).
export const PHONE = /^\+[1-9][0-9]{6,14}$/;
